package jp.otpgateway.gateway.lifecycle.application;

import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Shipments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.lifecycle.domain.TokenFacts;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use case: the operator lists the requested shipments and ships one with a token from stock (R4).
 * The shipped token belongs to the user's contract from then on (R6).
 */
@Service
public class ShippingTokens {

    private final Shipments shipments;
    private final Tokens tokens;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public ShippingTokens(Shipments shipments, Tokens tokens, AuditLog audit, TransactionalOperator transaction,
                          Clock clock) {
        this.shipments = shipments;
        this.tokens = tokens;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Flux<Shipments.Shipment> list(TenantConfig tenant, PendingIssuance.ShipmentStatus status) {
        return shipments.withStatus(tenant.id(), status);
    }

    /** {@code startsOn}: the 利用開始日 the branch gives; by default the tenant's days after today. */
    public Mono<Outcome<Shipments.Shipment>> ship(TenantConfig tenant, long shipmentId, String serial,
                                                  Optional<LocalDate> startsOn, String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Optional<Refusal> badStart = startsOn.flatMap(day -> LifecycleRules.refuseStartDate(day, now, tenant.timeZone()));
            if (badStart.isPresent()) {
                return Mono.just(Outcome.<Shipments.Shipment>refused(badStart.get()));
            }
            return shipments.find(tenant.id(), shipmentId)
                    .flatMap(shipment -> shipment.status() != PendingIssuance.ShipmentStatus.REQUESTED
                            ? Mono.just(Outcome.<Shipments.Shipment>refused(Refusal.Reason.SHIPMENT_CLOSED,
                                    "the shipment is " + shipment.status()))
                            : checkToken(tenant, shipment, serial, LifecycleRules.startDate(startsOn, now,
                                    tenant.tokens().hardware().startAfterShipping(), tenant.timeZone()), client, now))
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.SHIPMENT_NOT_FOUND, "no such shipment"));
        });
    }

    private Mono<Outcome<Shipments.Shipment>> checkToken(TenantConfig tenant, Shipments.Shipment shipment, String serial,
                                                         LocalDate startsOn, String client, Instant now) {
        return Mono.zip(tokens.facts(tenant.id(), serial).map(Optional::of).defaultIfEmpty(Optional.empty()),
                        shipments.serialShipped(tenant.id(), serial))
                .flatMap(found -> {
                    if (found.getT1().isEmpty()) {
                        return Mono.just(Outcome.refused(Refusal.Reason.TOKEN_NOT_FOUND, "no such serial"));
                    }
                    Optional<Refusal> refusal = refusal(found.getT1().get(), shipment.contractId(), found.getT2(), now);
                    if (refusal.isPresent()) {
                        return Mono.just(Outcome.refused(refusal.get()));
                    }
                    return write(tenant, shipment, serial, startsOn, client, now);
                });
    }

    private static Optional<Refusal> refusal(TokenFacts token, String contractId, boolean alreadyShipped, Instant now) {
        if (token.kind() != TokenKind.HARDWARE) {
            return Optional.of(Refusal.of(Refusal.Reason.KIND_MISMATCH, "the serial belongs to a software token"));
        }
        if (token.retiredAt().isPresent()) {
            return Optional.of(Refusal.of(Refusal.Reason.TOKEN_RETIRED, "the token was retired"));
        }
        if (!now.isBefore(token.expiresAt())) {
            return Optional.of(Refusal.of(Refusal.Reason.TOKEN_EXPIRED, "the token has expired"));
        }
        if (token.contractId().filter(c -> !c.equals(contractId)).isPresent()) {
            return Optional.of(Refusal.of(Refusal.Reason.TOKEN_OTHER_CONTRACT, "the token belongs to another contract"));
        }
        if (alreadyShipped || !token.holders().isEmpty()) {
            return Optional.of(Refusal.of(Refusal.Reason.TOKEN_IN_USE, "the token was already shipped or is in use"));
        }
        return Optional.empty();
    }

    private Mono<Outcome<Shipments.Shipment>> write(TenantConfig tenant, Shipments.Shipment shipment, String serial,
                                                    LocalDate startsOn, String client, Instant now) {
        Mono<Outcome<Shipments.Shipment>> write = tokens.bindToContract(tenant.id(), serial, shipment.contractId())
                .flatMap(binding -> switch (binding) {
                    case BOUND -> RefusedInTransaction.onDuplicate(
                            shipments.ship(tenant.id(), shipment.id(), serial, startsOn, now),
                            Refusal.Reason.TOKEN_IN_USE, "the token was shipped to someone else meanwhile");
                    case RETIRED -> RefusedInTransaction.<Boolean>refuse(Refusal.Reason.TOKEN_RETIRED,
                            "the token was retired meanwhile");
                    case OTHER_CONTRACT -> RefusedInTransaction.<Boolean>refuse(Refusal.Reason.TOKEN_OTHER_CONTRACT,
                            "the token belongs to another contract");
                })
                .flatMap(shipped -> shipped ? audit.append(List.of(new AuditLog.Event(tenant.id(), now,
                                Optional.of(shipment.loginId()), Optional.of(serial), "SHIPMENT", "SHIPPED", client,
                                Optional.empty())))
                        : RefusedInTransaction.<Void>refuse(Refusal.Reason.SHIPMENT_CLOSED,
                                "the shipment was shipped meanwhile"))
                .then(shipments.find(tenant.id(), shipment.id()))
                .map(Outcome::done);
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }
}

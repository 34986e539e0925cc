package jp.otpgateway.gateway.onboarding.application;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.onboarding.application.port.PskcKeys;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Use cases: the operator stores or removes a token vendor's PSKC transport key for the tenant. The
 * key is sealed like a seed (associated data tenant + {@value SeedVault#PSKC_KEY_SUBJECT} +
 * name, so it never opens as a token's seed nor for another tenant) and never answered; the audit
 * event (PSKC_KEY STORED or REMOVED) names the clerk and the key's name (its subject), never its value.
 */
@Service
public class StoringPskcKeys {

    private final PskcKeys keys;
    private final SeedVault vault;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public StoringPskcKeys(PskcKeys keys, SeedVault vault, AuditLog audit, TransactionalOperator transaction,
                           Clock clock) {
        this.keys = keys;
        this.vault = vault;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Void> store(TenantConfig tenant, String name, byte[] key, String staffId, String client) {
        return Mono.fromCallable(() -> {
                    try {
                        return vault.seal(tenant.id(), SeedVault.PSKC_KEY_SUBJECT + name, key);
                    } finally {
                        Arrays.fill(key, (byte) 0);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic()) // sealing draws a nonce from SecureRandom
                .flatMap(sealed -> {
                    Instant now = clock.instant();
                    return keys.store(tenant.id(), name, sealed, now)
                            .then(audit.append(List.of(event(tenant, now, "STORED", staffId, client).about(name))))
                            .as(transaction::transactional);
                });
    }

    public Mono<Outcome<Boolean>> remove(TenantConfig tenant, String name, String staffId, String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Mono<Outcome<Boolean>> write = keys.remove(tenant.id(), name)
                    .flatMap(found -> found
                            ? audit.append(List.of(event(tenant, now, "REMOVED", staffId, client).about(name)))
                                    .thenReturn(Outcome.done(true))
                            : RefusedInTransaction.<Outcome<Boolean>>refuse(Refusal.Reason.PSKC_KEY_NOT_FOUND,
                                    "no transport key of that name"));
            return RefusedInTransaction.recover(write.as(transaction::transactional));
        });
    }

    private static AuditLog.Event event(TenantConfig tenant, Instant now, String what, String staffId, String client) {
        return new AuditLog.Event(tenant.id(), now, Optional.empty(), Optional.empty(), "PSKC_KEY", what, client,
                Optional.empty()).byStaff(staffId);
    }
}

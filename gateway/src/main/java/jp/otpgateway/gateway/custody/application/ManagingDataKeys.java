package jp.otpgateway.gateway.custody.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.custody.application.port.DataKeys;
import jp.otpgateway.gateway.custody.application.port.ResealJobs;
import jp.otpgateway.gateway.custody.application.port.SeedKeys;
import jp.otpgateway.gateway.custody.application.port.SeedKeys.WrappedKey;
import jp.otpgateway.gateway.custody.domain.KeyRing;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Use cases of the tenant's operator on its data keys (docs/custody.md): the listing, a rotation,
 * the removal of a key no secret uses any more, a re-seal started by hand, and crypto-shredding in
 * two steps (a request answered with a confirmation code, then the destruction with that code).
 * Every change is serialised per tenant, audited with the clerk (operation DATA_KEY), and seen by
 * every instance at its next refresh of the keys.
 */
@Service
public class ManagingDataKeys {

    /** A key as the operator sees it: never its material. */
    public record KeyView(long id, boolean primary, Instant primaryFrom, Instant createdAt, long sealed) {
    }

    public record Listing(boolean destroyed, List<KeyView> keys, long legacySealed, Optional<ResealJobs.Job> reseal) {
    }

    public record DestructionRequest(String confirmation, Instant expiresAt, long sealed) {
    }

    public record Destroyed(int keys, Instant at) {
    }

    static final String CONFIRMATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static final int CONFIRMATION_LENGTH = 10;

    private final DataKeys keys;
    private final ResealJobs jobs;
    private final SeedKeys seedKeys;
    private final RefreshingDataKeys refreshing;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;
    private final Duration propagation;
    private final Duration confirmationValidity;
    private final SecureRandom random = new SecureRandom();

    public ManagingDataKeys(DataKeys keys, ResealJobs jobs, SeedKeys seedKeys, RefreshingDataKeys refreshing,
                            AuditLog audit, TransactionalOperator transaction, Clock clock, CustodySettings settings) {
        this.keys = keys;
        this.jobs = jobs;
        this.seedKeys = seedKeys;
        this.refreshing = refreshing;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
        this.propagation = settings.propagation();
        this.confirmationValidity = settings.destructionConfirmation();
    }

    /** What the application needs of otp.crypto.data-keys. */
    public record CustodySettings(Duration propagation, Duration destructionConfirmation) {
    }

    public Mono<Listing> list(TenantConfig tenant) {
        return Mono.zip(ring(tenant.id()), keys.sealedByPrefix(tenant.id()), jobs.of(tenant.id()), destroyed(tenant.id()))
                .map(t -> {
                    KeyRing ring = t.getT1();
                    Map<String, Long> sealed = t.getT2();
                    Instant now = clock.instant();
                    long primary = ring.primaryAt(now).map(KeyRing.DataKey::id).orElse(-1L);
                    List<KeyView> views = ring.keys().stream()
                            .map(k -> new KeyView(k.id(), k.id() == primary, k.primaryFrom(), k.createdAt(),
                                    sealed.getOrDefault(KeyRing.prefixHex(k.id()), 0L)))
                            .toList();
                    Set<String> own = ring.keys().stream().map(k -> KeyRing.prefixHex(k.id())).collect(Collectors.toSet());
                    long legacy = sealed.entrySet().stream().filter(e -> !own.contains(e.getKey()))
                            .mapToLong(Map.Entry::getValue).sum();
                    return new Listing(t.getT4(), views, legacy, t.getT3());
                });
    }

    /** A new key that starts sealing after the propagation time; its re-seal starts then by itself. */
    public Mono<Outcome<KeyView>> rotate(TenantConfig tenant, String staffId, String client) {
        String t = tenant.id();
        Mono<Outcome<KeyView>> write = keys.lock(t)
                .then(Mono.zip(ring(t), jobs.of(t), destroyed(t)))
                .flatMap(state -> {
                    Instant now = clock.instant();
                    if (state.getT3()) {
                        return RefusedInTransaction.<Outcome<KeyView>>refuse(Refusal.Reason.TENANT_KEYS_DESTROYED,
                                "the tenant's keys were destroyed");
                    }
                    KeyRing ring = state.getT1();
                    boolean resealing = state.getT2().map(job -> job.finishedAt().isEmpty()).orElse(false);
                    if (ring.rotationPending(now) || resealing) {
                        return RefusedInTransaction.<Outcome<KeyView>>refuse(Refusal.Reason.ROTATION_PENDING,
                                "the previous rotation has not finished");
                    }
                    Set<Long> taken = ring.keys().stream().map(KeyRing.DataKey::id).collect(Collectors.toSet());
                    Instant from = KeyRing.rotatedKeyPrimaryFrom(now, propagation);
                    return Mono.fromCallable(() -> seedKeys.newKey(t, taken, from, now))
                            .subscribeOn(Schedulers.boundedElastic()) // the HSM wraps it
                            .flatMap(key -> keys.insert(key, staffId)
                                    .then(jobs.start(t, key.id(), now))
                                    .then(audit.append(List.of(event(t, now, "ROTATED", staffId, client)
                                            .about(Long.toString(key.id())))))
                                    .thenReturn(Outcome.done(new KeyView(key.id(), false, from, now, 0))));
                });
        return RefusedInTransaction.recover(write.as(transaction::transactional))
                .flatMap(outcome -> refreshing.refresh().thenReturn(outcome));
    }

    /** Removes a key that no longer seals and that no secret uses ({@link KeyRing#removal}). */
    public Mono<Outcome<Long>> remove(TenantConfig tenant, long keyId, String staffId, String client) {
        String t = tenant.id();
        Mono<Outcome<Long>> write = keys.lock(t)
                .then(Mono.zip(ring(t), keys.sealedByPrefix(t)))
                .flatMap(state -> {
                    Instant now = clock.instant();
                    long sealed = state.getT2().getOrDefault(KeyRing.prefixHex(keyId), 0L);
                    Optional<KeyRing.RemovalRefusal> refusal = state.getT1().removal(keyId, sealed, now);
                    if (refusal.isPresent()) {
                        return switch (refusal.get()) {
                            case NOT_FOUND -> RefusedInTransaction.<Outcome<Long>>refuse(Refusal.Reason.DATA_KEY_NOT_FOUND,
                                    "no data key " + keyId);
                            case PRIMARY -> RefusedInTransaction.<Outcome<Long>>refuse(Refusal.Reason.DATA_KEY_PRIMARY,
                                    "key " + keyId + " seals now or will");
                            case IN_USE -> RefusedInTransaction.<Outcome<Long>>refuse(Refusal.Reason.DATA_KEY_IN_USE,
                                    sealed + " secrets are still sealed with key " + keyId);
                        };
                    }
                    return keys.delete(t, keyId)
                            .then(audit.append(List.of(event(t, now, "REMOVED", staffId, client)
                                    .about(Long.toString(keyId)))))
                            .thenReturn(Outcome.done(keyId));
                });
        return RefusedInTransaction.recover(write.as(transaction::transactional))
                .flatMap(outcome -> refreshing.refresh().thenReturn(outcome));
    }

    /** Starts (again) the re-seal of every secret to the key that seals now: legacy seeds, an interrupted job. */
    public Mono<Outcome<Long>> reseal(TenantConfig tenant, String staffId, String client) {
        String t = tenant.id();
        Mono<Outcome<Long>> write = keys.lock(t)
                .then(Mono.zip(ring(t), destroyed(t)))
                .flatMap(state -> {
                    Instant now = clock.instant();
                    Optional<KeyRing.DataKey> primary = state.getT1().primaryAt(now);
                    if (state.getT2() || primary.isEmpty()) {
                        return RefusedInTransaction.<Outcome<Long>>refuse(Refusal.Reason.TENANT_KEYS_DESTROYED,
                                "the tenant has no key to re-seal to");
                    }
                    return jobs.start(t, primary.get().id(), now)
                            .then(audit.append(List.of(event(t, now, "RESEAL_STARTED", staffId, client)
                                    .about(Long.toString(primary.get().id())))))
                            .thenReturn(Outcome.done(primary.get().id()));
                });
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }

    /**
     * The first step of crypto-shredding: a confirmation code, valid for a while, that the second
     * step must give back. Refused while secrets are under a key that is not the tenant's own (the
     * legacy keyset would still open them).
     */
    public Mono<Outcome<DestructionRequest>> requestDestruction(TenantConfig tenant, String staffId, String client) {
        String t = tenant.id();
        Mono<Outcome<DestructionRequest>> write = keys.lock(t)
                .then(Mono.zip(ring(t), keys.sealedByPrefix(t), destroyed(t)))
                .flatMap(state -> {
                    if (state.getT3()) {
                        return RefusedInTransaction.<Outcome<DestructionRequest>>refuse(
                                Refusal.Reason.TENANT_KEYS_DESTROYED, "the tenant's keys were destroyed already");
                    }
                    Set<String> own = state.getT1().keys().stream().map(k -> KeyRing.prefixHex(k.id()))
                            .collect(Collectors.toSet());
                    long foreign = state.getT2().entrySet().stream().filter(e -> !own.contains(e.getKey()))
                            .mapToLong(Map.Entry::getValue).sum();
                    if (foreign > 0) {
                        return RefusedInTransaction.<Outcome<DestructionRequest>>refuse(Refusal.Reason.RESEAL_PENDING,
                                foreign + " secrets are not under the tenant's own keys yet");
                    }
                    long sealed = state.getT2().values().stream().mapToLong(Long::longValue).sum();
                    Instant now = clock.instant();
                    Instant expires = now.plus(confirmationValidity);
                    String code = confirmation();
                    return keys.requestDestruction(t, code, staffId, now, expires)
                            .then(audit.append(List.of(event(t, now, "DESTRUCTION_REQUESTED", staffId, client))))
                            .thenReturn(Outcome.done(new DestructionRequest(code, expires, sealed)));
                });
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }

    /** The second step: with the request's code, before it expires, every key of the tenant is deleted. */
    public Mono<Outcome<Destroyed>> destroy(TenantConfig tenant, String confirmation, String staffId, String client) {
        String t = tenant.id();
        Mono<Outcome<Destroyed>> write = keys.lock(t)
                .then(keys.destruction(t))
                .flatMap(request -> {
                    Instant now = clock.instant();
                    if (request.flatMap(DataKeys.Destruction::destroyedAt).isPresent()) {
                        return RefusedInTransaction.<Outcome<Destroyed>>refuse(Refusal.Reason.TENANT_KEYS_DESTROYED,
                                "the tenant's keys were destroyed already");
                    }
                    boolean confirmed = request.isPresent() && now.isBefore(request.get().expiresAt())
                            && MessageDigest.isEqual(request.get().confirmation().getBytes(StandardCharsets.US_ASCII),
                                    confirmation.getBytes(StandardCharsets.US_ASCII));
                    if (!confirmed) {
                        return RefusedInTransaction.<Outcome<Destroyed>>refuse(Refusal.Reason.DESTRUCTION_NOT_CONFIRMED,
                                "no destruction request with that confirmation code in force");
                    }
                    return keys.deleteAll(t)
                            .flatMap(n -> keys.markDestroyed(t, staffId, now)
                                    .then(jobs.cancel(t))
                                    .then(audit.append(List.of(event(t, now, "DESTROYED", staffId, client))))
                                    .thenReturn(Outcome.done(new Destroyed(n.intValue(), now))));
                });
        return RefusedInTransaction.recover(write.as(transaction::transactional))
                .flatMap(outcome -> refreshing.refresh().thenReturn(outcome));
    }

    private Mono<KeyRing> ring(String tenantId) {
        return keys.of(tenantId).map(k -> new KeyRing.DataKey(k.id(), k.primaryFrom(), k.createdAt()))
                .collectList().map(KeyRing::new);
    }

    private Mono<Boolean> destroyed(String tenantId) {
        return keys.destruction(tenantId).map(d -> d.flatMap(DataKeys.Destruction::destroyedAt).isPresent());
    }

    private String confirmation() {
        StringBuilder code = new StringBuilder(CONFIRMATION_LENGTH);
        for (int i = 0; i < CONFIRMATION_LENGTH; i++) {
            code.append(CONFIRMATION_ALPHABET.charAt(random.nextInt(CONFIRMATION_ALPHABET.length())));
        }
        return code.toString();
    }

    private static AuditLog.Event event(String tenantId, Instant now, String what, String staffId, String client) {
        return new AuditLog.Event(tenantId, now, Optional.empty(), Optional.empty(), "DATA_KEY", what, client,
                Optional.empty()).byStaff(staffId);
    }
}

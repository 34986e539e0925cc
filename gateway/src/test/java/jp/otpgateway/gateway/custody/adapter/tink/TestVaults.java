package jp.otpgateway.gateway.custody.adapter.tink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.otpgateway.gateway.custody.adapter.kek.FileKek;
import jp.otpgateway.gateway.custody.application.port.SeedKeys.WrappedKey;

/** Vaults for unit tests and benchmarks: a file KEK, and data keys installed as a refresh would. */
public final class TestVaults {

    private TestVaults() {
    }

    /** A vault whose KEK (and legacy keyset) is {@code file}, with one first key per tenant installed. */
    public static TenantSeedVault withKeys(TinkSeedVault file, Clock clock, String... tenants) {
        TenantSeedVault vault = new TenantSeedVault(new FileKek(file.aead(), "file:test"), Optional.of(file.aead()),
                file.keyIds(), clock, Duration.ofSeconds(30));
        Map<String, List<WrappedKey>> keys = Arrays.stream(tenants).collect(Collectors.toMap(t -> t,
                t -> List.of(vault.newKey(t, Set.of(), Instant.EPOCH, clock.instant()))));
        vault.install(keys, Set.of(), System.nanoTime());
        return vault;
    }

    public static TenantSeedVault withKeys(String... tenants) {
        try {
            return withKeys(TinkSeedVault.fromKeysetJson(TinkSeedVault.newKeysetJson()), Clock.systemUTC(), tenants);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package jp.otpgateway.gateway.bench;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import jp.otpgateway.gateway.custody.adapter.tink.TenantSeedVault;
import jp.otpgateway.gateway.custody.adapter.tink.TestVaults;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process part of one verification (docs/architecture.md, hot path steps 3 and 4): opening the
 * sealed seed (Tink AES-GCM, associated data tenant + serial) and the TOTP window (the tenant's
 * default window of ±1 step: three HMAC-SHA1 at worst). Run with load-tests/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    static final TotpParameters PARAMETERS = new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 1);

    TenantSeedVault vault;
    byte[] seed;
    byte[] sealed;
    Instant now;
    String rightCode;
    String wrongCode;

    @Setup
    public void setUp() throws GeneralSecurityException {
        vault = TestVaults.withKeys("bench-tenant"); // a tenant's own data key, as in production
        seed = HexFormat.of().parseHex("3132333435363738393031323334353637383930");
        sealed = vault.seal("bench-tenant", "101199980021", seed);
        now = Instant.parse("2026-11-21T09:00:30Z");
        rightCode = Totp.codeAt(seed, PARAMETERS, now);
        wrongCode = rightCode.equals("00000000") ? "00000001" : "00000000";
    }

    @Benchmark
    public byte[] openSeed() {
        return vault.open("bench-tenant", "101199980021", sealed);
    }

    @Benchmark
    public OptionalLong totpWindowRightCode() {
        return Totp.matchingStep(seed, PARAMETERS, rightCode, now);
    }

    /** A wrong code tries every step of the window. */
    @Benchmark
    public OptionalLong totpWindowWrongCode() {
        return Totp.matchingStep(seed, PARAMETERS, wrongCode, now);
    }

    /** What VerifyingOtp does in process for one attempt: open the seed, then the window. */
    @Benchmark
    public OptionalLong openAndVerify() {
        return Totp.matchingStep(vault.open("bench-tenant", "101199980021", sealed), PARAMETERS, rightCode, now);
    }
}

package jp.otpgateway.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The requests of one wrk run (load-tests/wrk.sh): {@code count} of the {@link Fleet}'s users of
 * tenant {@code tenant}, from number {@code from}, each with its token's code of the 60-second step
 * {@code step}, one per line ("login code"). wrk sends each line once, so no code is used twice.
 * <pre>java -cp load-tests/target/test-classes jp.otpgateway.load.WrkRequests tenant from count step file</pre>
 */
public final class WrkRequests {

    private WrkRequests() {
    }

    public static void main(String[] args) throws IOException {
        int tenant = Integer.parseInt(args[0]);
        int from = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long step = Long.parseLong(args[3]);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.UTF_8))) {
            for (int n = from; n < from + count; n++) {
                out.println(Fleet.login(n) + " " + Totp.code(Fleet.seed(tenant, n), step));
            }
        }
    }
}

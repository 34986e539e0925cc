package jp.otpgateway.tenant.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jp.otpgateway.tenant.load.LoadResult;
import jp.otpgateway.tenant.load.TenantConfigLoader;
import jp.otpgateway.tenant.load.TenantDirectory;

/**
 * {@code java -jar tenant-config.jar validate DIR|FILE...}: checks tenant files the way the gateway
 * will load them. Exit 0 when every file is valid, 1 otherwise (problems, unreadable input, usage).
 */
public final class TenantConfigCli {

    static final int VALID = 0;
    static final int INVALID = 1;

    private TenantConfigCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].equals("validate")) {
            err.println("usage: java -jar tenant-config.jar validate <directory or tenant file>...");
            return INVALID;
        }
        int status = VALID;
        for (int i = 1; i < args.length; i++) {
            status = Math.max(status, validate(Path.of(args[i]), out, err));
        }
        return status;
    }

    private static int validate(Path target, PrintStream out, PrintStream err) {
        if (Files.isRegularFile(target)) {
            return report(Map.of(target, new TenantConfigLoader().load(target)), out, err);
        }
        if (!Files.isDirectory(target)) {
            err.println(target + ": no such file or directory");
            return INVALID;
        }
        try {
            Map<Path, LoadResult> results = new TenantDirectory().scan(target).results();
            if (results.isEmpty()) {
                err.println(target + ": no tenant files (*.yaml, *.yml)");
                return INVALID;
            }
            return report(results, out, err);
        } catch (IOException e) {
            err.println(target + ": cannot list directory: " + e.getMessage());
            return INVALID;
        }
    }

    private static int report(Map<Path, LoadResult> results, PrintStream out, PrintStream err) {
        int status = VALID;
        for (Map.Entry<Path, LoadResult> entry : results.entrySet()) {
            if (entry.getValue() instanceof LoadResult.Invalid invalid) {
                invalid.problems().forEach(err::println);
                status = INVALID;
            } else {
                out.println(entry.getKey() + ": OK");
            }
        }
        return status;
    }
}

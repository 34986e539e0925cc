package jp.otpgateway.tenant.load;

/** One thing wrong in a tenant file, printed as {@code file:line: path: message}. */
public record ConfigProblem(String file, int line, String path, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + (path.isEmpty() ? "(document)" : path) + ": " + message;
    }
}

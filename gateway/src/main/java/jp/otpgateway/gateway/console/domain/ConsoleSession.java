package jp.otpgateway.gateway.console.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.shared.domain.Identifiers;

/**
 * A clerk signed in to the branch console: the tenant, the clerk's staff ID (it goes into every audit
 * event the clerk causes), the tenant's operator key (kept on the server only, in the session store;
 * never in a page, a cookie or a log) and the form token that every state change must carry.
 *
 * <p>A session ends after {@link #IDLE} without a request (the store forgets it) and in any case
 * {@link #ABSOLUTE} after sign-in, so a console left open at a counter does not stay signed in for
 * the day.
 */
public record ConsoleSession(String tenantId, String staffId, String operatorKey, String formToken, Instant signedInAt) {

    public static final Duration IDLE = Duration.ofMinutes(15);
    public static final Duration ABSOLUTE = Duration.ofHours(8);
    /** An operator key is a bearer token: printable ASCII, bounded. */
    public static final Pattern OPERATOR_KEY = Pattern.compile("[\\x21-\\x7e]{8,256}");

    public ConsoleSession {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(staffId, "staffId");
        Objects.requireNonNull(operatorKey, "operatorKey");
        Objects.requireNonNull(formToken, "formToken");
        Objects.requireNonNull(signedInAt, "signedInAt");
    }

    /** Whether a sign-in form is well-formed enough to ask the API about it at all. */
    public static boolean wellFormed(String tenantId, String staffId, String operatorKey) {
        // the API's own patterns (docs/api.md, the shared kernel's Identifiers), checked before a sign-in goes anywhere
        return tenantId != null && Identifiers.TENANT_ID.matcher(tenantId).matches()
                && staffId != null && Identifiers.STAFF_ID.matcher(staffId).matches()
                && operatorKey != null && OPERATOR_KEY.matcher(operatorKey).matches();
    }

    /** True once {@link #ABSOLUTE} has passed since sign-in. */
    public boolean expired(Instant now) {
        return !now.isBefore(signedInAt.plus(ABSOLUTE));
    }

    /**
     * Whether a submitted form token is this session's (constant time: a timing difference must not
     * tell an attacker how much of a guess was right).
     */
    public boolean formTokenMatches(String submitted) {
        return formTokensMatch(formToken, submitted);
    }

    /** The same comparison for the token of a session that is not signed in yet (the sign-in form's). */
    public static boolean formTokensMatch(String expected, String submitted) {
        if (expected == null || submitted == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        // a session is never printed with its key or its form token
        return "ConsoleSession[tenant=" + tenantId + ", staff=" + staffId + ", since=" + signedInAt + "]";
    }
}

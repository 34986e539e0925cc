package jp.otpgateway.gateway.shared.domain;

import java.util.List;

/**
 * A command could not be built from what the client sent. Every violation is listed so that a
 * portal can show all of them at once; the API answers 400 VALIDATION_FAILED.
 */
public final class InvalidInput extends RuntimeException {

    private final transient List<FieldViolation> violations;

    public InvalidInput(List<FieldViolation> violations) {
        super("invalid input: " + violations.stream().map(FieldViolation::field).toList());
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}

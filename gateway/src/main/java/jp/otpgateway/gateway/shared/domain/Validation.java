package jp.otpgateway.gateway.shared.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Collects the violations of one command; {@link #throwIfAny()} ends construction with all of them.
 * Messages are Japanese because portals may show them as they are.
 */
public final class Validation {

    private final List<FieldViolation> violations = new ArrayList<>();

    public String required(String field, String label, String value) {
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation(field, FieldViolation.REQUIRED, label + "を入力してください。"));
            return null;
        }
        return value;
    }

    public String matching(String field, String label, String value, Pattern pattern, String expected) {
        if (required(field, label, value) == null) {
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            violations.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    label + "の形式が正しくありません（" + expected + "）。"));
            return null;
        }
        return value;
    }

    public String text(String field, String label, String value, int maxLength) {
        if (required(field, label, value) == null) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            violations.add(new FieldViolation(field, FieldViolation.TOO_LONG,
                    label + "は" + maxLength + "文字以内で入力してください。"));
            return null;
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            violations.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    label + "に制御文字は使用できません。"));
            return null;
        }
        return value;
    }

    public <T> T oneOf(String field, String label, String value, Function<String, Optional<T>> parse, String expected) {
        if (required(field, label, value) == null) {
            return null;
        }
        Optional<T> parsed = parse.apply(value);
        if (parsed.isEmpty()) {
            violations.add(new FieldViolation(field, FieldViolation.INVALID_VALUE,
                    label + "は " + expected + " のいずれかを指定してください。"));
            return null;
        }
        return parsed.get();
    }

    public void add(FieldViolation violation) {
        violations.add(violation);
    }

    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
    }
}

package jp.otpgateway.gateway.user.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.tenant.model.UserRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegisterUserCommandTest {

    static InvalidInput invalid(String loginId, String contractId, String name, String role, String email) {
        try {
            RegisterUserCommand.of("t1", loginId, contractId, name, role, email);
        } catch (InvalidInput e) {
            return e;
        }
        throw new AssertionError("expected InvalidInput");
    }

    @Test
    void validInputBuildsTheCommand() {
        RegisterUserCommand c = RegisterUserCommand.of("t1", "taro.yamada@corp", "C-001", "山田太郎", "ADMIN", null);
        assertThat(c.role()).isEqualTo(UserRole.ADMIN);
        assertThat(c.email()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "山田", "a/b", "a%2Fb"})
    void loginIdOutsideItsCharacterSetIsRefused(String loginId) {
        assertThat(invalid(loginId, "C1", "x", "GENERAL", null).violations())
                .singleElement().extracting(FieldViolation::field).isEqualTo("loginId");
    }

    @Test
    void loginIdOfSixtyFiveCharactersIsTooLong() {
        assertThat(invalid("a".repeat(65), "C1", "x", "GENERAL", null).violations())
                .singleElement().extracting(FieldViolation::code).isEqualTo(FieldViolation.INVALID_FORMAT);
    }

    @Test
    void missingFieldsAreAllRequired() {
        assertThat(invalid("u1", null, null, null, null).violations())
                .extracting(FieldViolation::field, FieldViolation::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("contractId", FieldViolation.REQUIRED),
                        org.assertj.core.groups.Tuple.tuple("name", FieldViolation.REQUIRED),
                        org.assertj.core.groups.Tuple.tuple("role", FieldViolation.REQUIRED));
    }

    @Test
    void roleMustBeOneOfTheThreeRoles() {
        assertThat(invalid("u1", "C1", "x", "master", null).violations())
                .singleElement().extracting(FieldViolation::message)
                .isEqualTo("権限は MASTER, ADMIN, GENERAL のいずれかを指定してください。");
    }

    @Test
    void controlCharactersInTheNameAreRefused() {
        assertThat(invalid("u1", "C1", "山田\u0000太郎", "GENERAL", null).violations())
                .singleElement().extracting(FieldViolation::field).isEqualTo("name");
    }

    @Test
    void nameIsCountedInCharactersNotBytes() {
        assertThat(RegisterUserCommand.of("t1", "u1", "C1", "あ".repeat(100), "GENERAL", null).name()).hasSize(100);
        assertThatThrownBy(() -> RegisterUserCommand.of("t1", "u1", "C1", "あ".repeat(101), "GENERAL", null))
                .isInstanceOf(InvalidInput.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a@b", "a@@b.jp", "a b@c.jp", ""})
    void malformedMailAddressIsRefused(String email) {
        assertThat(invalid("u1", "C1", "x", "GENERAL", email).violations())
                .singleElement().extracting(FieldViolation::field).isEqualTo("email");
    }
}

package jp.otpgateway.tenant.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import jp.otpgateway.tenant.model.ClientRole;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.OtpSettings;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.UserRole;
import jp.otpgateway.tenant.model.WithoutOtp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantConfigLoaderTest {

    static final String HASH = "a".repeat(64);

    /** The smallest valid tenant; tests append or replace lines after line 4. */
    static final String MINIMAL = """
            id: t1
            name: テスト信用組合
            notifications: {from: otp@example.jp}
            clients: [{name: portal, role: portal, keySha256: "%s"}]
            """.formatted(HASH);

    private final TenantConfigLoader loader = new TenantConfigLoader();

    TenantConfig valid(String yaml) {
        LoadResult result = loader.load("t1.yaml", "t1", yaml);
        assertThat(result).as("problems: %s", result).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) result).config();
    }

    List<String> problems(String yaml) {
        LoadResult result = loader.load("t1.yaml", "t1", yaml);
        assertThat(result).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) result).problems().stream().map(ConfigProblem::toString).toList();
    }

    /** One problem, at that line and path, whose message contains {@code fragment}. */
    void rejects(String yaml, int line, String path, String fragment) {
        List<String> found = problems(yaml);
        assertThat(found).as("problems").hasSize(1);
        assertThat(found.get(0)).startsWith("t1.yaml:" + line + ": " + path + ": ").contains(fragment);
    }

    @Test
    void minimalFileTakesTheDocumentedDefaults() {
        TenantConfig c = valid(MINIMAL);
        assertThat(c.timeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(c.otp().digits()).isEqualTo(8);
        assertThat(c.otp().period()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.otp().algorithm()).isEqualTo(HashAlgorithm.SHA1);
        assertThat(c.otp().window()).isEqualTo(1);
        assertThat(c.otp().normalizeFullWidthDigits()).isTrue();
        assertThat(c.otp().drift()).isEqualTo(new OtpSettings.Drift(10, 10));
        assertThat(c.tokens().hardware().pskcPlainValues()).isFalse();
        assertThat(c.lockout().maxConsecutiveFailures()).isEqualTo(5);
        assertThat(c.lockout().unlockBy()).containsExactlyInAnyOrder(UserRole.MASTER, UserRole.ADMIN);
        assertThat(c.lockout().cascadeToSharers()).isTrue();
        assertThat(c.withoutOtp().dailyTransferLimit()).isEqualTo(200_000);
        assertThat(c.withoutOtp().nonMoneyOperations()).isEqualTo(WithoutOtp.NonMoneyPolicy.ALLOW);
        assertThat(c.tokens().kinds()).containsExactlyInAnyOrder(TokenKind.SOFTWARE, TokenKind.HARDWARE);
        assertThat(c.tokens().hardware().reissueWindow()).isEqualTo(Duration.ofDays(90));
        assertThat(c.tokens().hardware().activationRequiredAtLogin()).isFalse();
        assertThat(c.tokens().hardware().startAfterShipping()).isEqualTo(Duration.ofDays(14));
        assertThat(c.tokens().software().appDownloadUrl()).isEmpty();
        assertThat(c.tokens().hardware().validity()).isEqualTo(Period.ofYears(5));
        assertThat(c.tokens().revocationCooldown()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.tokens().maintenanceWindow().from()).isEqualTo(LocalTime.of(2, 59));
        assertThat(c.tokens().maintenanceWindow().to()).isEqualTo(LocalTime.of(3, 10));
        assertThat(c.notifications().expiryNoticeDays()).containsExactly(90, 30, 7);
        assertThat(c.fees().monthlyPerExtraToken()).isEqualTo(110);
        assertThat(c.fees().reissue()).isEqualTo(2200);
        assertThat(c.limits().requestsPerSecond()).isEqualTo(500);
        assertThat(c.limits().concurrentRequests()).isEqualTo(200);
        assertThat(c.audit().retention()).isEqualTo(Period.ofYears(10));
        assertThat(c.clients()).singleElement().satisfies(client -> {
            assertThat(client.role()).isEqualTo(ClientRole.PORTAL);
            assertThat(client.keySha256()).isEqualTo(HASH);
        });
    }

    @Test
    void explicitValuesAreRead() {
        TenantConfig c = valid(MINIMAL + """
                timeZone: Asia/Tokyo
                otp: {digits: 6, period: 30s, algorithm: SHA256, window: 0, normalizeFullWidthDigits: false,
                      drift: {maxSteps: 4, resyncWindow: 2}}
                lockout: {maxConsecutiveFailures: 3, unlockBy: [], cascadeToSharers: false}
                operations:
                  TRANSFER: {otpRequired: true, moneyMovement: true, exemptRegisteredPayee: true}
                  LOGIN: {otpRequired: true}
                withoutOtp: {dailyTransferLimit: 100_000, nonMoneyOperations: DENY}
                tokens:
                  kinds: [HARDWARE]
                  hardware: {sharing: false, reissueWindow: 60d, validity: 3y, activationRequiredAtLogin: true,
                             startAfterShipping: 0d, pskcPlainValues: true}
                  software: {validity: 400d, activationPasswordDigits: {min: 6, max: 6}, setupAttempts: 3, reinstallNextDay: false,
                              appDownloadUrl: "https://apps.example.jp/otp?from=mail"}
                  deactivationRequiresOtp: false
                  revocationCooldown: 2h
                  maintenanceWindow: {from: "23:50", to: "00:10"}
                fees: {freeTokensPerContract: 0, monthlyPerExtraToken: 0, reissue: 1000, billingDay: 28}
                limits: {requestsPerSecond: 10, concurrentRequests: 5}
                audit: {retention: 7y}
                """);
        assertThat(c.audit().retention()).isEqualTo(Period.ofYears(7));
        assertThat(c.otp().digits()).isEqualTo(6);
        assertThat(c.otp().drift()).isEqualTo(new OtpSettings.Drift(4, 2));
        assertThat(c.tokens().hardware().activationRequiredAtLogin()).isTrue();
        assertThat(c.tokens().hardware().startAfterShipping()).isZero();
        assertThat(c.tokens().hardware().pskcPlainValues()).isTrue();
        assertThat(c.otp().period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.otp().algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(c.lockout().operatorOnly()).isTrue();
        assertThat(c.operation("TRANSFER")).hasValueSatisfying(op -> {
            assertThat(op.otpRequired()).isTrue();
            assertThat(op.moneyMovement()).isTrue();
            assertThat(op.exemptRegisteredPayee()).isTrue();
        });
        assertThat(c.operation("LOGIN")).hasValueSatisfying(op -> assertThat(op.moneyMovement()).isFalse());
        assertThat(c.operation("PAYMENT")).isEmpty();
        assertThat(c.withoutOtp().dailyTransferLimit()).isEqualTo(100_000);
        assertThat(c.tokens().kinds()).containsExactly(TokenKind.HARDWARE);
        assertThat(c.tokens().software().validity()).isEqualTo(Period.ofDays(400));
        assertThat(c.tokens().software().activationPasswordMinDigits()).isEqualTo(6);
        assertThat(c.tokens().software().appDownloadUrl()).contains("https://apps.example.jp/otp?from=mail");
        assertThat(c.tokens().revocationCooldown()).isEqualTo(Duration.ofHours(2));
        assertThat(c.tokens().maintenanceWindow().contains(LocalTime.of(0, 5))).isTrue();
        assertThat(c.tokens().maintenanceWindow().contains(LocalTime.of(0, 10))).isFalse();
        assertThat(c.tokens().maintenanceWindow().contains(LocalTime.of(23, 49))).isFalse();
        assertThat(c.fees().billingDay()).isEqualTo(28);
    }

    @Nested
    class Structure {

        @Test
        void unknownKeyIsRejectedWithItsLine() {
            rejects(MINIMAL + "limit: {requestsPerSecond: 5}\n", 5, "limit", "unknown key; expected one of");
        }

        @Test
        void unknownNestedKeyIsRejected() {
            rejects(MINIMAL + "otp:\n  digits: 8\n  digit: 6\n", 7, "otp.digit", "unknown key");
        }

        @Test
        void duplicateKeyIsRejectedNamingTheFirstLine() {
            rejects(MINIMAL + "name: 二重\n", 5, "name", "duplicate key (first given at line 2)");
        }

        @Test
        void duplicateNestedKeyIsRejected() {
            rejects(MINIMAL + "lockout:\n  maxConsecutiveFailures: 5\n  maxConsecutiveFailures: 6\n",
                    7, "lockout.maxConsecutiveFailures", "duplicate key (first given at line 6)");
        }

        @Test
        void syntaxErrorNamesItsLine() {
            List<String> found = problems(MINIMAL + "otp: {digits: 8\nname: x\n");
            assertThat(found).singleElement().asString().startsWith("t1.yaml:6: (document): not valid YAML");
        }

        @Test
        void emptyFileIsRejected() {
            assertThat(problems("")).singleElement().asString().contains("file is empty");
        }

        @Test
        void sectionThatIsNotAMappingIsRejected() {
            rejects(MINIMAL + "otp: 8\n", 5, "otp", "expected a mapping");
        }

        @Test
        void everyProblemOfTheFileIsReportedAtOnceInLineOrder() {
            List<String> found = problems(MINIMAL + "otp: {digits: 7}\nlockout: {maxConsecutiveFailures: 2}\nlimits: {requestsPerSecond: 0}\n");
            assertThat(found).hasSize(3);
            assertThat(found.get(0)).startsWith("t1.yaml:5: otp.digits");
            assertThat(found.get(1)).startsWith("t1.yaml:6: lockout.maxConsecutiveFailures");
            assertThat(found.get(2)).startsWith("t1.yaml:7: limits.requestsPerSecond");
        }

        @Test
        void requiredFieldsAreNamed() {
            List<String> found = problems("otp: {digits: 8}\n");
            assertThat(found).anyMatch(p -> p.contains(": id: is required"))
                    .anyMatch(p -> p.contains(": name: is required"))
                    .anyMatch(p -> p.contains(": notifications.from: is required"))
                    .anyMatch(p -> p.contains(": clients: is required"));
        }
    }

    @Nested
    class Identity {

        @Test
        void idMustEqualTheFileName() {
            rejects(MINIMAL.replace("id: t1", "id: t2"), 1, "id", "must equal the file name 't1'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"T1", "a", "t_1", "\"a b\""})
        void idMustUseItsCharacterSet(String id) {
            assertThat(problems(MINIMAL.replace("id: t1", "id: " + id)))
                    .anyMatch(p -> p.startsWith("t1.yaml:1: id: ") && p.contains("expected 2 to 32 of a-z"));
        }

        @Test
        void nameMustNotBeBlank() {
            rejects(MINIMAL.replace("name: テスト信用組合", "name: \" \""), 2, "name", "expected a name of 1 to 100");
        }

        @Test
        void timeZoneMustBeARegion() {
            rejects(MINIMAL + "timeZone: Mars/Olympus\n", 5, "timeZone", "is not a time zone region");
        }

        @Test
        void fixedOffsetIsNotATimeZoneRegion() {
            rejects(MINIMAL + "timeZone: \"+09:00\"\n", 5, "timeZone", "is not a time zone region");
        }
    }

    @Nested
    class Values {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "otp: {digits: 7}                          | otp.digits                     | 7 is not valid; expected 6 or 8",
            "otp: {digits: 10}                         | otp.digits                     | out of range; expected 6 to 8",
            "otp: {window: 4}                          | otp.window                     | out of range; expected 0 to 3",
            "otp: {drift: {maxSteps: 61}}              | otp.drift.maxSteps             | out of range; expected 0 to 60",
            "otp: {drift: {resyncWindow: -1}}          | otp.drift.resyncWindow         | out of range; expected 0 to 60",
            "otp: {drift: {maxSteps: 3, resyncWindow: 5}} | otp.drift.resyncWindow      | resyncWindow 5 is greater than maxSteps 3",
            "otp: {drift: {steps: 3}}                  | otp.drift.steps                | unknown key",
            "otp: {period: 5s}                         | otp.period                     | out of range; expected 15s to 5m",
            "otp: {algorithm: MD5}                     | otp.algorithm                  | expected one of SHA1, SHA256, SHA512",
            "lockout: {maxConsecutiveFailures: 2}      | lockout.maxConsecutiveFailures | out of range; expected 3 to 10",
            "lockout: {maxConsecutiveFailures: 11}     | lockout.maxConsecutiveFailures | out of range; expected 3 to 10",
            "withoutOtp: {dailyTransferLimit: -1}      | withoutOtp.dailyTransferLimit  | out of range; expected 0 to",
            "withoutOtp: {nonMoneyOperations: MAYBE}   | withoutOtp.nonMoneyOperations  | expected one of ALLOW, DENY",
            "fees: {monthlyPerExtraToken: -110}        | fees.monthlyPerExtraToken      | out of range; expected 0 to",
            "fees: {billingDay: 31}                    | fees.billingDay                | out of range; expected 1 to 28",
            "limits: {requestsPerSecond: 0}            | limits.requestsPerSecond       | out of range; expected 1 to 100000",
            "limits: {concurrentRequests: 10001}       | limits.concurrentRequests      | out of range; expected 1 to 10000",
            "tokens: {revocationCooldown: 8d}          | tokens.revocationCooldown      | out of range; expected 0s to 7d",
            "tokens: {hardware: {reissueWindow: 0d}}   | tokens.hardware.reissueWindow  | out of range; expected 1d to 365d",
            "tokens: {hardware: {validity: 11y}}       | tokens.hardware.validity       | out of range; expected 1d to 10y",
            "audit: {retention: 30d}                   | audit.retention                | out of range; expected 365d to 30y",
            "audit: {keep: 5y}                         | audit.keep                     | unknown key",
            "tokens: {hardware: {startAfterShipping: 91d}} | tokens.hardware.startAfterShipping | out of range; expected 0s to 90d",
            "tokens: {hardware: {startAfterShipping: 36h}} | tokens.hardware.startAfterShipping | expected whole days",
            "tokens: {hardware: {activationRequiredAtLogin: sometimes}} | tokens.hardware.activationRequiredAtLogin | expected true or false",
            "tokens: {hardware: {pskcPlainValues: 1}}  | tokens.hardware.pskcPlainValues | expected true or false",
            "tokens: {software: {setupAttempts: 0}}    | tokens.software.setupAttempts  | out of range; expected 1 to 10",
            "tokens: {software: {appDownloadUrl: 'http://apps.example.jp'}} | tokens.software.appDownloadUrl | expected an https:// URL",
            "tokens: {software: {appDownloadUrl: 'https://a b'}} | tokens.software.appDownloadUrl | expected an https:// URL",
            "tokens: {software: {activationPasswordDigits: {min: 3}}} | tokens.software.activationPasswordDigits.min | out of range; expected 4 to 8",
            "tokens: {software: {activationPasswordDigits: {min: 8, max: 4}}} | tokens.software.activationPasswordDigits.min | min 8 is greater than max 4",
            "notifications: {from: otp@example.jp, expiryNoticeDays: [0]} | notifications.expiryNoticeDays[0] | out of range; expected 1 to 365",
            "notifications: {from: otp@example.jp, expiryNoticeDays: [30, 30]} | notifications.expiryNoticeDays[1] | 30 is listed twice",
        })
        void outOfRangeValuesAreRejected(String line, String path, String fragment) {
            String yaml = MINIMAL.replace("notifications: {from: otp@example.jp}\n", line.startsWith("notifications")
                    ? "" : "notifications: {from: otp@example.jp}\n") + line + "\n";
            List<String> found = problems(yaml);
            assertThat(found).singleElement().asString().contains(": " + path + ": ").contains(fragment);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"5\"", "5.0", "0x05", "yes"})
        void numbersMustBeWholeNumbersNotTextOrFractions(String value) {
            rejects(MINIMAL + "lockout: {maxConsecutiveFailures: " + value + "}\n", 5,
                    "lockout.maxConsecutiveFailures", "expected a whole number between 3 and 10");
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "on", "\"true\"", "1"})
        void booleansMustBeTrueOrFalse(String value) {
            rejects(MINIMAL + "lockout: {cascadeToSharers: " + value + "}\n", 5, "lockout.cascadeToSharers",
                    "expected true or false");
        }

        @ParameterizedTest
        @ValueSource(strings = {"30", "30 m", "1w", "m30", "-5m", "1.5h"})
        void durationsNeedANumberAndAUnit(String value) {
            rejects(MINIMAL + "tokens: {revocationCooldown: \"" + value + "\"}\n", 5, "tokens.revocationCooldown",
                    "is not a duration; expected a number and a unit s, m, h or d");
        }

        @ParameterizedTest
        @CsvSource({"30s,PT30S", "30m,PT30M", "12h,PT12H", "7d,PT168H"})
        void durationsAcceptSecondsMinutesHoursDays(String text, Duration expected) {
            assertThat(valid(MINIMAL + "tokens: {revocationCooldown: " + text + "}\n").tokens().revocationCooldown())
                    .isEqualTo(expected);
        }

        @Test
        void validityNeedsDaysOrYears() {
            rejects(MINIMAL + "tokens: {hardware: {validity: 5m}}\n", 5, "tokens.hardware.validity",
                    "is not a period; expected a number and a unit d or y");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"24:00\"", "\"2:59\"", "\"02:60\"", "\"0259\""})
        void maintenanceWindowNeedsHhMm(String value) {
            rejects(MINIMAL + "tokens: {maintenanceWindow: {from: " + value + ", to: \"03:10\"}}\n", 5,
                    "tokens.maintenanceWindow.from", "expected a time HH:MM");
        }

        @Test
        void unquotedTimeThatYamlReadsAsANumberIsStillReadAsATime() {
            // YAML 1.1 reads 12:30 as the base-60 number 750; the loader reads the text as written.
            assertThat(valid(MINIMAL + "tokens: {maintenanceWindow: {from: 12:30, to: 13:00}}\n")
                    .tokens().maintenanceWindow().from()).isEqualTo(LocalTime.of(12, 30));
        }

        @Test
        void emptyMaintenanceWindowIsRejected() {
            rejects(MINIMAL + "tokens: {maintenanceWindow: {from: \"03:00\", to: \"03:00\"}}\n", 5,
                    "tokens.maintenanceWindow.to", "the window is empty");
        }

        @Test
        void tokenKindsMustBeKnownAndDistinct() {
            assertThat(problems(MINIMAL + "tokens: {kinds: [SOFTWARE, SOFTWARE, PAPER]}\n"))
                    .containsExactly(
                            "t1.yaml:5: tokens.kinds[1]: SOFTWARE is listed twice",
                            "t1.yaml:5: tokens.kinds[2]: 'PAPER' is not valid; expected one of SOFTWARE, HARDWARE");
        }

        @Test
        void tokenKindsMustNotBeEmpty() {
            rejects(MINIMAL + "tokens: {kinds: []}\n", 5, "tokens.kinds", "expected at least one");
        }

        @Test
        void mailSenderMustBeAnAddress() {
            rejects(MINIMAL.replace("otp@example.jp", "nobody"), 3, "notifications.from", "is not a mail address");
        }
    }

    @Nested
    class Roles {

        @Test
        void unlockByAcceptsMasterAndAdmin() {
            assertThat(valid(MINIMAL + "lockout: {unlockBy: [MASTER]}\n").lockout().unlockBy())
                    .isEqualTo(Set.of(UserRole.MASTER));
        }

        @Test
        void unknownRoleIsRejected() {
            rejects(MINIMAL + "lockout: {unlockBy: [BOSS]}\n", 5, "lockout.unlockBy[0]",
                    "'BOSS' is not valid; expected one of MASTER, ADMIN, GENERAL");
        }

        @Test
        void generalUsersCannotUnlockOthers() {
            rejects(MINIMAL + "lockout: {unlockBy: [GENERAL]}\n", 5, "lockout.unlockBy[0]", "GENERAL users cannot unlock");
        }

        @Test
        void roleListedTwiceIsRejected() {
            rejects(MINIMAL + "lockout: {unlockBy: [MASTER, MASTER]}\n", 5, "lockout.unlockBy[1]", "listed twice");
        }
    }

    @Nested
    class Operations {

        @ParameterizedTest
        @ValueSource(strings = {"transfer", "T", "TRANSFER1", "TRANS-FER"})
        void operationNamesMustBeUpperCaseWords(String name) {
            rejects(MINIMAL + "operations:\n  " + name + ": {otpRequired: true}\n", 6, "operations." + name,
                    "is not a valid operation name");
        }

        @Test
        void operationNameOfFortyOneCharactersIsTooLong() {
            String name = "A".repeat(41);
            rejects(MINIMAL + "operations:\n  " + name + ": {otpRequired: true}\n", 6, "operations." + name,
                    "expected 2 to 40 of A-Z");
        }

        @Test
        void registeredPayeeExemptionNeedsMoneyMovement() {
            rejects(MINIMAL + "operations:\n  CUSTOMER_INFO_CHANGE: {otpRequired: true, exemptRegisteredPayee: true}\n", 6,
                    "operations.CUSTOMER_INFO_CHANGE.exemptRegisteredPayee", "applies only to operations with moneyMovement");
        }

        @Test
        void unknownOperationFieldIsRejected() {
            rejects(MINIMAL + "operations:\n  LOGIN: {otpRequierd: true}\n", 6, "operations.LOGIN.otpRequierd", "unknown key");
        }

        @Test
        void duplicateOperationIsRejected() {
            rejects(MINIMAL + "operations:\n  LOGIN: {otpRequired: true}\n  LOGIN: {otpRequired: false}\n", 7,
                    "operations.LOGIN", "duplicate key (first given at line 6)");
        }
    }

    @Nested
    class Clients {

        /** MINIMAL with the client list in block style, its first client on line 5, so more can be appended. */
        String blockClients() {
            return MINIMAL.replace("clients: [{name: portal, role: portal, keySha256: \"" + HASH + "\"}]",
                    "clients:\n  - {name: portal, role: portal, keySha256: \"" + HASH + "\"}");
        }

        @Test
        void keyHashMustBeSixtyFourHexCharacters() {
            rejects(MINIMAL.replace(HASH, "a".repeat(63)), 4, "clients[0].keySha256", "expected 64 hexadecimal characters");
        }

        @Test
        void upperCaseHashIsStoredLowerCase() {
            assertThat(valid(MINIMAL.replace(HASH, "A".repeat(64))).clients().get(0).keySha256()).isEqualTo(HASH);
        }

        @Test
        void clientRoleMustBePortalOrOperator() {
            rejects(MINIMAL.replace("role: portal", "role: admin"), 4, "clients[0].role",
                    "'admin' is not valid; expected one of portal, operator");
        }

        @Test
        void clientFieldsAreRequired() {
            List<String> found = problems(MINIMAL.replace("{name: portal, role: portal, keySha256: \"" + HASH + "\"}", "{}"));
            assertThat(found).containsExactlyInAnyOrder(
                    "t1.yaml:4: clients[0].name: is required",
                    "t1.yaml:4: clients[0].role: is required: portal or operator",
                    "t1.yaml:4: clients[0].keySha256: is required");
        }

        @Test
        void sameKeyForTwoClientsIsRejected() {
            rejects(blockClients() + "  - {name: ops, role: operator, keySha256: \"" + HASH + "\"}\n", 6,
                    "clients[1].keySha256", "the same key is given to another client");
        }

        @Test
        void clientNamesMustBeUnique() {
            rejects(blockClients() + "  - {name: portal, role: operator, keySha256: \"" + "b".repeat(64) + "\"}\n",
                    6, "clients[1].name", "is used by another client");
        }

        @Test
        void aTenantWithoutClientsIsUnreachableAndRejected() {
            rejects(MINIMAL.replace("clients: [{name: portal, role: portal, keySha256: \"" + HASH + "\"}]", "clients: []"),
                    4, "clients", "expected at least one API client");
        }
    }
}

package jp.otpgateway.gateway.verification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the guard table through the Java rules; GuardTableIT runs the same rows through Lua and SQL. */
class GuardRulesTest {

    static java.util.stream.Stream<GuardTable.Row> rows() {
        return GuardTable.rows();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachEventIsDecidedOnTheCopyAndWrittenToTheDurableState(GuardTable.Row row) {
        GuardRules.State durable = row.start();
        Optional<GuardRules.State> held = row.held();
        List<GuardVerdict.Outcome> outcomes = new ArrayList<>();
        for (GuardTable.Event event : row.events()) {
            if (event.kind().equals("unlock")) {
                durable = GuardRules.unlock(durable);
                continue;
            }
            GuardRules.Decision decision = GuardRules.decide(GuardRules.adopt(held, durable), event.step(), row.max());
            held = Optional.of(decision.after());
            GuardRules.Decision written = GuardRules.persist(durable, decision.verdict());
            outcomes.add(written.outcome());
            durable = written.after();
        }
        assertThat(outcomes).isEqualTo(row.outcomes());
        assertThat(durable).isEqualTo(row.end());
    }

    @org.junit.jupiter.api.Test
    void aCopyThatLostItsStateAdoptsTheDurableOneButNotAnOlderStep() {
        GuardRules.State durable = new GuardRules.State(false, 2, 1000, 3);
        assertThat(GuardRules.adopt(Optional.empty(), durable)).isEqualTo(durable);
        GuardRules.State beforeUnlock = new GuardRules.State(true, 5, 1002, 2);
        assertThat(GuardRules.adopt(Optional.of(beforeUnlock), durable)).isEqualTo(new GuardRules.State(false, 2, 1002, 3));
        GuardRules.State current = new GuardRules.State(false, 4, 1001, 3);
        assertThat(GuardRules.adopt(Optional.of(current), durable)).isEqualTo(current);
    }

    @org.junit.jupiter.api.Test
    void aFailureDecidedBeforeAnUnlockOrANewerAcceptanceIsNotWrittenBack() {
        GuardRules.State durable = new GuardRules.State(false, 0, 1005, 4);
        GuardVerdict oldVersion = new GuardVerdict(GuardVerdict.Outcome.INVALID, 5, true, 3, 1005);
        GuardVerdict olderStep = new GuardVerdict(GuardVerdict.Outcome.INVALID, 2, false, 4, 1004);
        assertThat(GuardRules.persist(durable, oldVersion).after()).isEqualTo(durable);
        assertThat(GuardRules.persist(durable, olderStep).after()).isEqualTo(durable);
        GuardVerdict lateAcceptance = new GuardVerdict(GuardVerdict.Outcome.ACCEPTED, 0, false, 4, 1003);
        assertThat(GuardRules.persist(durable, lateAcceptance).outcome()).isEqualTo(GuardVerdict.Outcome.REPLAYED);
    }
}

package org.wirelab.netns;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wirelab.display.SelfCheck;

// What Binder shows: the shipped outcomes, labelled as recorded, pass the same self-checks.
class RecordedOutcomesTest {

    @ParameterizedTest
    @ValueSource(strings = {"segments", "loss", "syn-flood", "simultaneous-close", "nat", "bottleneck", "http2-stall"})
    void aShippedOutcomeIsLabelledRecordedAndHoldsItsClaims(String name) {
        Outcome o = Outcome.recorded(name);
        assertFalse(o.live());
        assertTrue(o.how().startsWith("recorded (live: ") && o.how().endsWith(Outcome.RECORD_COMMAND), o.how());
        assertFalse(o.mechanisms().isEmpty() && !name.equals("segments") && !name.equals("syn-flood"), "mechanisms are named");
        SelfCheck check = RealNetwork.check(o);
        assertFalse(check.passed().isEmpty());
    }
}

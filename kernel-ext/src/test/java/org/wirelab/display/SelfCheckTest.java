package org.wirelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelfCheckTest {

    record Needs(boolean yes, String reason, String remedy) implements Precondition {
    }

    static final Needs CAPTURE = new Needs(true, "dumpcap can capture on lo", "");
    static final Needs NO_CAPTURE = new Needs(false, "dumpcap: You don't have permission to capture on that device",
            "run JupyterLab as root");

    @Test
    void passingClaimsPrintAPassMarkEach() {
        SelfCheck check = SelfCheck.of("one connection", true).and("status", 101, 101);
        assertEquals("✔ one connection\n✔ status (101)\n", check.toString());
        assertEquals(List.of("one connection", "status (101)"), check.passed());
    }

    @Test
    void aFailingClaimThrowsWithItsName() {
        AssertionError e = assertThrows(AssertionError.class, () -> SelfCheck.of("one connection", true).and("status", 101, 200));
        assertEquals("self-check failed: status: expected 101 but was 200", e.getMessage());
    }

    @Test
    void aClaimWhosePreconditionIsMissingIsNotCheckedAndNeverPasses() {
        boolean[] evaluated = {false};
        SelfCheck check = SelfCheck.of("one connection", true)
                .andWhen(NO_CAPTURE, "ip.proto is 17", () -> evaluated[0] = true);
        assertFalse(evaluated[0], "the check ran although its precondition is missing");
        assertEquals("✔ one connection\n◌ not checked here: ip.proto is 17 (needs what is missing here: "
                + "dumpcap: You don't have permission to capture on that device; run JupyterLab as root)\n", check.toString());
        assertEquals(List.of("one connection"), check.passed());
        assertEquals(List.of("ip.proto is 17"), check.notChecked());
    }

    @Test
    void aClaimWhosePreconditionHoldsIsCheckedAndCanFail() {
        assertEquals("✔ ip.proto is 17\n", SelfCheck.when(CAPTURE, "ip.proto is 17", () -> true).toString());
        AssertionError e = assertThrows(AssertionError.class,
                () -> SelfCheck.of("one", true).andWhen(CAPTURE, "ip.proto", "17", () -> "6"));
        assertEquals("self-check failed: ip.proto: expected 17 but was 6", e.getMessage());
    }

    @Test
    void aClaimNotCheckedMustSayWhy() {
        assertThrows(IllegalArgumentException.class, () -> SelfCheck.notChecked("SYN_RECV seen", " "));
        assertEquals("◌ not checked here: SYN_RECV seen (needs root)\n", SelfCheck.notChecked("SYN_RECV seen", "needs root").toString());
    }

    @Test
    void htmlEscapesTheClaim() {
        String html = (String) SelfCheck.of("a<b", true).mimeBundle().get(MimeBundle.HTML);
        assertEquals("<ul class=\"wl-selfcheck\"><li><span class=\"wl-pass\">✔</span> a&lt;b</li></ul>", html);
    }

    @Test
    void htmlMarksAnUncheckedClaimApart() {
        String html = (String) SelfCheck.notChecked("a<b", "needs <root>").mimeBundle().get(MimeBundle.HTML);
        assertEquals("<ul class=\"wl-selfcheck\"><li class=\"wl-unchecked\"><span class=\"wl-skip\">◌</span> "
                + "<em>not checked here:</em> a&lt;b <small>(needs &lt;root&gt;)</small></li></ul>", html);
    }
}

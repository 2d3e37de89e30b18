package org.wirelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SelfCheckNotCheckedTest {

    @Test
    void aClaimNotCheckedPrintsWhyAndIsNeverCountedAsPassed() {
        SelfCheck check = SelfCheck.of("bytes arrive in order", true)
                .andNotChecked("tshark flags the retransmission", "tshark is not installed; install it and run again");
        assertEquals("✔ bytes arrive in order\n"
                + "not checked here: tshark flags the retransmission: tshark is not installed; install it and run again\n",
                check.toString());
        assertEquals(java.util.List.of("bytes arrive in order"), check.passed());
        assertTrue(((String) check.mimeBundle().get("text/html")).contains("wl-not-checked"));
    }
}

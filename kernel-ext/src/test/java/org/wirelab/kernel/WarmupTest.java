package org.wirelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;

class WarmupTest {

    @AfterEach
    void closeAll() {
        Lifecycle.closeAll();
    }

    @Test
    void echoesThroughATapAndLeavesNothingRunning() throws Exception {
        String view = Warmup.run().toString();
        // "warm\n" came back from the echo server through the tap, byte for byte
        assertTrue(view.startsWith("00000000: 7761 726d 0a"), view);
        assertEquals(List.of(), Lifecycle.open(), "still open after the warm-up");
    }
}

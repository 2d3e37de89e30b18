package org.wirelab.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BacklogTest {

    @Test
    void fullAcceptQueueKeepsTheOtherClientsInSynSent() {
        try (Backlog queue = Backlog.fill(1, 5)) {
            long established = queue.clientsIn(TcpState.ESTABLISHED);
            long synSent = queue.clientsIn(TcpState.SYN_SENT);
            String table = queue.states().toString();
            assertEquals(5, established + synSent, table);
            // Linux queues backlog + 1 finished connections and drops further SYNs
            assertEquals(2, established, table);
            assertEquals(3, synSent, table);
            assertEquals(2, queue.queued(), table);
            assertEquals(Optional.of(TcpState.LISTEN), queue.states().state(queue.port(), 0), table);
            assertEquals(5, queue.clientPorts().size());
            assertTrue(queue.toString().startsWith("listen backlog 1 on 127.0.0.1:" + queue.port()
                    + ", never accepting; 5 clients: 2 ESTABLISHED (queued), 3 SYN_SENT"), queue.toString());
        }
    }

    @Test
    void closeLeavesNoListenerAndNoClientInSynSent() {
        Backlog queue = Backlog.fill(1, 4);
        int port = queue.port();
        queue.close();
        TcpStates after = TcpStates.sample(port);
        assertTrue(after.rows().stream().noneMatch(r -> r.state() == TcpState.LISTEN || r.state() == TcpState.SYN_SENT),
                after.toString());
        assertTrue(queue.toString().startsWith("listen backlog 1 on 127.0.0.1:" + port + " (closed)"), queue.toString());
    }

    @Test
    void listenOverflowsIsReadFromTheTcpExtLines() {
        List<String> netstat = List.of(
                "TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts ListenOverflows ListenDrops",
                "TcpExt: 0 0 0 0 17 17",
                "IpExt: InNoRoutes InTruncatedPkts",
                "IpExt: 0 0");
        assertEquals(Optional.of(17L), Backlog.listenOverflows(netstat));
        assertEquals(Optional.empty(), Backlog.listenOverflows(List.of("IpExt: InNoRoutes", "IpExt: 0")));
    }

    @Test
    void droppedSynsAreCountedAsListenOverflows() {
        try (Backlog queue = Backlog.fill(1, 4)) {
            long overflows = queue.listenOverflows();
            if (overflows >= 0) {
                assertTrue(overflows >= queue.clientsIn(TcpState.SYN_SENT), "overflows " + overflows);
            }
        }
    }

    @Test
    void syncookiesIsTheSysctlValue() {
        int value = Backlog.syncookies();
        assertTrue(value >= -1 && value <= 2, "tcp_syncookies " + value);
    }

    @Test
    void badSizesAreRefusedInWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backlog.fill(1, 0));
        assertEquals("clients must be 1..64, was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backlog.fill(0, 3));
        assertEquals("backlog must be 1..16 for this demo, was 0", e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}

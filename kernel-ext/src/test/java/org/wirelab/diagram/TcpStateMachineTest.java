package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.tcp.TcpState;

class TcpStateMachineTest {

    /** 02's first connection as the 2 ms sampler saw it: the client closes first. */
    private static TcpStateMachine clientClosesFirst() {
        Map<String, String> sockets = new LinkedHashMap<>();
        sockets.put("A", "127.0.0.1:8080 → *:* (a listening socket)");
        sockets.put("B", "127.0.0.1:51234 → 127.0.0.1:8080");
        sockets.put("C", "127.0.0.1:8080 → 127.0.0.1:51234");
        Map<String, List<TcpState>> paths = new LinkedHashMap<>();
        paths.put("A", List.of(TcpState.LISTEN));
        paths.put("B", List.of(TcpState.ESTABLISHED, TcpState.FIN_WAIT2, TcpState.TIME_WAIT));
        paths.put("C", List.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.CLOSE));
        return TcpStateMachine.of(sockets, paths);
    }

    @Test
    void seenStatesCarryTheirOrderAndMissedOnesAreInferredBetweenSamples() {
        assertEquals("""
                RFC 9293 §3.3.2 TCP state diagram (figure 5): [A2] socket A was seen in this state, 2nd; (A) it passed through between two samples; a socket seen CLOSED had left the kernel's table
                                       CLOSED [C3]
                                       LISTEN [A1]
                  SYN-RECEIVED                              SYN-SENT
                                       ESTABLISHED [B1 C1]
                  FIN-WAIT-1 (B)                            CLOSE-WAIT [C2]
                  FIN-WAIT-2 [B2]      CLOSING              LAST-ACK (C)
                                       TIME-WAIT [B3]

                A = 127.0.0.1:8080 → *:* (a listening socket)
                B = 127.0.0.1:51234 → 127.0.0.1:8080
                C = 127.0.0.1:8080 → 127.0.0.1:51234

                CLOSED → LISTEN                      passive OPEN
                CLOSED → SYN-SENT                    active OPEN / send SYN
                LISTEN → SYN-RECEIVED                receive SYN / send SYN,ACK
                LISTEN → SYN-SENT                    SEND / send SYN
                LISTEN → CLOSED                      CLOSE
                SYN-SENT → SYN-RECEIVED              receive SYN / send SYN,ACK (simultaneous open)
                SYN-SENT → ESTABLISHED               receive SYN,ACK / send ACK
                SYN-SENT → CLOSED                    CLOSE
                SYN-RECEIVED → ESTABLISHED           receive ACK of SYN
                SYN-RECEIVED → LISTEN                receive RST (it came from LISTEN)
                SYN-RECEIVED → FIN-WAIT-1            CLOSE / send FIN
                ESTABLISHED → FIN-WAIT-1    (B)      CLOSE / send FIN (active close)
                ESTABLISHED → CLOSE-WAIT    C        receive FIN / send ACK (passive close)
                FIN-WAIT-1 → FIN-WAIT-2     (B)      receive ACK of FIN
                FIN-WAIT-1 → CLOSING                 receive FIN / send ACK (simultaneous close)
                FIN-WAIT-1 → TIME-WAIT               receive FIN with the ACK of own FIN / send ACK (§3.10.7.4; not drawn in figure 5)
                FIN-WAIT-2 → TIME-WAIT      B        receive FIN / send ACK
                CLOSING → TIME-WAIT                  receive ACK of FIN
                CLOSE-WAIT → LAST-ACK       (C)      CLOSE / send FIN
                LAST-ACK → CLOSED           (C)      receive ACK of FIN
                TIME-WAIT → CLOSED                   timeout 2 MSL""", clientClosesFirst().toString());
    }

    @Test
    void aTransitionSeenOnBothEndsIsNotInferred() {
        assertEquals(List.of("SYN-SENT", "ESTABLISHED"), TcpStateMachine.shortestPath(TcpStateMachine.Node.CLOSED,
                TcpStateMachine.Node.ESTABLISHED).stream().map(e -> e.to().rfc).toList());
    }

    @Test
    void htmlIsTablesAndDivsWithClassesAndNoStyleScriptOrSvg() {
        String html = (String) clientClosesFirst().mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.startsWith("<div class=\"wl-tcp-machine\""), html);
        assertTrue(html.contains("<div class=\"wl-state wl-seen\""), html);
        assertTrue(html.contains("<div class=\"wl-state wl-inferred\""), html);
        assertFalse(html.contains("<style") || html.contains("<script") || html.contains("<svg"), html);
    }
}

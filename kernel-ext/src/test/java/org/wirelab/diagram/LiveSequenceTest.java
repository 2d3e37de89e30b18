package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.display.Display;
import org.wirelab.display.MimeBundle;

class LiveSequenceTest {

    private record Shown(Map<String, Object> bundle, String id, boolean update) {
    }

    @AfterEach
    void quiet() {
        Display.install((bundle, id, update) -> { });
    }

    @Test
    void showsOnceThenUpdatesTheSameDisplayPerMessage() {
        List<Shown> shown = new ArrayList<>();
        Display.install((bundle, id, update) -> shown.add(new Shown(bundle, id, update)));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        LiveSequence live = LiveSequence.show("client", "server");
        live.message("client", "server", "text \"Hello\" (11 bytes)", t0)
                .message("server", "client", "text \"Hello\" (7 bytes)", t0.plusMillis(1))
                .note("server", "close 1000");
        assertEquals(4, shown.size());
        assertEquals(List.of(false, true, true, true), shown.stream().map(Shown::update).toList());
        assertEquals(1, shown.stream().map(Shown::id).distinct().count());
        assertEquals(live.display().id(), shown.get(0).id());
        String last = (String) shown.get(3).bundle().get(MimeBundle.MERMAID);
        assertEquals("""
                sequenceDiagram
                    participant p0 as client
                    participant p1 as server
                    p0->>p1: text #34;Hello#34; (11 bytes) +0.000 ms
                    p1->>p0: text #34;Hello#34; (7 bytes) +1.000 ms
                    Note over p1: close 1000
                """, last);
        assertTrue(((String) shown.get(0).bundle().get(MimeBundle.MERMAID)).endsWith("participant p1 as server\n"));
    }
    @Test
    void followRedrawsTheTapConversationAfterEveryEvent() throws Exception {
        List<Shown> shown = java.util.Collections.synchronizedList(new ArrayList<>());
        Display.install((bundle, id, update) -> shown.add(new Shown(bundle, id, update)));
        try (var server = org.wirelab.tcp.TcpEchoServer.start(); var tap = org.wirelab.tap.Tap.to(server.address())) {
            Display live = LiveSequence.follow(tap);
            try (var socket = new java.net.Socket("127.0.0.1", tap.port())) {
                socket.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertEquals("ping\n", new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
            }
            tap.awaitClosed();
            assertEquals(List.of(false), shown.stream().limit(1).map(Shown::update).toList());
            assertTrue(shown.size() >= 5, "connect, two data, two FINs: " + shown.size());
            assertEquals(1, shown.stream().map(Shown::id).distinct().count());
            assertEquals(live.id(), shown.get(0).id());
            String last = (String) live.last().orElseThrow().get(MimeBundle.MERMAID);
            assertTrue(last.contains("connect (TCP handshake)"), last);
            assertTrue(last.contains("p0->>p1: #34;ping#92;n#34; (5 bytes)"), last);
            assertTrue(last.contains("p1->>p0: FIN"), last);
        }
    }
}

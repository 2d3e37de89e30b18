package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.hex.StreamView;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.tap.Connection;
import org.wirelab.wire.Direction;
import org.wirelab.tap.Recording;
import org.wirelab.tap.Tap;
import org.wirelab.ws.WebSocketDemoServer;

/** The views made from a tap recording: SequenceDiagram.of, StreamView.of and Timeline.duplex. */
class RecordingViewsTest {

    @AfterEach
    void closeAll() {
        Lifecycle.closeAll();
    }

    private static Recording helloOverWebSocket() throws Exception {
        WebSocketDemoServer server = WebSocketDemoServer.start();
        Tap tap = Tap.to(server.address());
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(tap.uri("ws", "/ws"), new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
        ws.sendText("Hello", true).get(5, TimeUnit.SECONDS);
        // handshake head + 11-byte masked frame up, 101 head + 7-byte echo down
        server.takeMessage();
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        tap.awaitClosed();
        return tap.recording();
    }

    @Test
    void sequenceDiagramNamesHttpLinesAndWebSocketFrames() throws Exception {
        Recording recording = helloOverWebSocket();
        String mermaid = SequenceDiagram.of(recording).mermaid();
        assertTrue(mermaid.contains("GET /ws HTTP/1.1"), mermaid);
        assertTrue(mermaid.contains("HTTP/1.1 101 Switching Protocols"), mermaid);
        assertTrue(mermaid.contains("Text, FIN, MASKED #34;Hello#34; (11 B)"), mermaid);
        assertTrue(mermaid.contains("Text, FIN #34;Hello#34; (7 B)"), mermaid);
        assertTrue(mermaid.contains("Connection Close, FIN, MASKED"), mermaid);
        assertEquals(1, recording.connections().size(), "the upgrade stays on one TCP connection");
    }

    @Test
    void streamViewHoldsEveryByteOfBothDirections() throws Exception {
        Connection c = helloOverWebSocket().connection(1);
        StreamView view = StreamView.of(c);
        assertEquals(c.byteCount(Direction.CLIENT_TO_SERVER), view.byteCount(Direction.CLIENT_TO_SERVER));
        assertEquals(c.byteCount(Direction.SERVER_TO_CLIENT), view.byteCount(Direction.SERVER_TO_CLIENT));
    }

    @Test
    void duplexTimelineHasALanePerConnectionAndDirection() throws Exception {
        Timeline t = Timeline.duplex(helloOverWebSocket());
        @SuppressWarnings("unchecked")
        List<String> lanes = (List<String>) ((java.util.Map<String, Object>) ((java.util.Map<String, Object>) ((List<Object>) t.vegaLite().get("layer")).stream()
                .map(l -> (java.util.Map<String, Object>) l).findFirst().orElseThrow().get("encoding")).get("y")).get("sort");
        assertEquals(List.of("#1 client → server", "#1 server → client"), lanes);
    }

    @Test
    @SuppressWarnings("unchecked")
    void duplexBarsRunFromFirstToLastChunkAndAreNeverWidened() throws Exception {
        Recording recording = helloOverWebSocket();
        Timeline t = Timeline.duplex(recording);
        java.util.Map<String, Object> data = (java.util.Map<String, Object>) t.vegaLite().get("data");
        List<java.util.Map<String, Object>> values = (List<java.util.Map<String, Object>>) data.get("values");
        org.wirelab.tap.Connection c = recording.connection(1);
        java.time.Instant origin = c.events().stream().filter(e -> e.kind() == org.wirelab.tap.TapEvent.Kind.DATA)
                .map(org.wirelab.tap.TapEvent::time).min(java.util.Comparator.naturalOrder()).orElseThrow();
        for (Direction d : Direction.values()) {
            String lane = "#1 " + d;
            List<org.wirelab.tap.TapEvent> chunks = c.events(d).stream().filter(e -> e.kind() == org.wirelab.tap.TapEvent.Kind.DATA).toList();
            java.util.Set<Double> moments = new java.util.HashSet<>();
            chunks.forEach(e -> moments.add(java.time.Duration.between(origin, e.time()).toNanos() / 1e6));
            long drawn = 0;
            for (java.util.Map<String, Object> v : values) {
                if (!v.get("lane").equals(lane)) {
                    continue;
                }
                drawn += Long.parseLong(((String) v.get("label")).split(" ")[0]);
                // every bar starts and ends at a chunk's own moment: nothing is drawn wider than the reads
                assertTrue(moments.contains((Double) v.get("start")) && moments.contains((Double) v.get("end")), v + " vs " + moments);
            }
            assertEquals(chunks.stream().mapToLong(org.wirelab.tap.TapEvent::length).sum(), drawn, lane);
        }
    }
}

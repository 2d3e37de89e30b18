package org.wirelab.tap;

import org.wirelab.wire.Direction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wirelab.wire.Direction.CLIENT_TO_SERVER;
import static org.wirelab.wire.Direction.SERVER_TO_CLIENT;
import static org.wirelab.tap.Wire.accept;
import static org.wirelab.tap.Wire.ascii;
import static org.wirelab.tap.Wire.connect;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class ConnectionTest {

    static byte[] pattern(long from, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            long at = from + i;
            out[i] = (byte) (at * 7 + (at >>> 13));
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void capKeepsHeadAndTailWithExactCounts() throws Exception {
        try (ServerSocket server = Wire.server();
             Tap tap = Tap.newBuilder().to(Wire.address(server)).cap(1000).start();
             Socket client = connect(tap);
             Socket upstream = accept(server)) {
            byte[] sent = pattern(0, 10_000);
            for (int at = 0; at < sent.length; at += 700) {
                client.getOutputStream().write(sent, at, Math.min(700, sent.length - at));
            }
            assertArrayEquals(sent, upstream.getInputStream().readNBytes(sent.length), "forwarded whole");
            tap.awaitBytes(CLIENT_TO_SERVER, sent.length);

            Connection c = tap.recording().connection(1);
            assertEquals(10_000, c.byteCount(CLIENT_TO_SERVER));
            assertEquals(9_000, c.dropped(CLIENT_TO_SERVER));
            assertEquals(500, c.droppedFrom(CLIENT_TO_SERVER));
            assertEquals(9_500, c.droppedTo(CLIENT_TO_SERVER));
            byte[] kept = c.stream(CLIENT_TO_SERVER);
            assertArrayEquals(Arrays.copyOfRange(sent, 0, 500), Arrays.copyOfRange(kept, 0, 500), "head");
            assertArrayEquals(Arrays.copyOfRange(sent, 9_500, 10_000), Arrays.copyOfRange(kept, 500, 1000), "tail");
            assertEquals("recorded 1000 B of 9.8 KiB: 8.8 KiB dropped between offsets 500 and 9500",
                    c.summary(CLIENT_TO_SERVER));
            assertEquals("recorded 0 B", c.summary(SERVER_TO_CLIENT));
            assertArrayEquals(Arrays.copyOfRange(sent, 9_600, 9_700), c.stream(CLIENT_TO_SERVER, 9_600, 9_700));
            assertEquals("bytes 400..600 of client → server overlap the 9000 bytes dropped between offsets 500 and 9500",
                    assertThrows(IllegalArgumentException.class, () -> c.stream(CLIENT_TO_SERVER, 400, 600)).getMessage());
            // each DATA event carries exactly its recorded bytes: those in the head or the tail
            long covered = 0;
            for (TapEvent e : c.events(CLIENT_TO_SERVER)) {
                int from = (int) e.offset();
                int to = (int) (e.offset() + e.length());
                byte[] expected = concat(Arrays.copyOfRange(sent, Math.min(from, 500), Math.min(to, 500)),
                        Arrays.copyOfRange(sent, Math.max(from, 9_500), Math.max(to, 9_500)));
                assertArrayEquals(expected, e.bytes(), "event @" + from);
                assertEquals(expected.length == e.length(), e.complete());
                assertEquals(covered, e.offset(), "events are contiguous");
                covered += e.length();
            }
            assertEquals(10_000, covered);
        }
    }

    @Test
    void eventsFilterByDirectionTimeAndByteRange() throws Exception {
        try (ServerSocket server = Wire.server();
             Tap tap = Tap.to(Wire.address(server));
             Socket client = connect(tap);
             Socket upstream = accept(server)) {
            client.getOutputStream().write(ascii("GET / HTTP/1.1\r\n\r\n"));
            upstream.getInputStream().readNBytes(18);
            Instant between = Instant.now();
            upstream.getOutputStream().write(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
            client.getInputStream().readNBytes(27);
            client.shutdownOutput();
            tap.awaitBytes(SERVER_TO_CLIENT, 27);
            Wire.readToEnd(upstream);

            Connection c = tap.recording().connection(1);
            assertEquals(List.of(TapEvent.Kind.DATA, TapEvent.Kind.FIN),
                    c.events(CLIENT_TO_SERVER).stream().map(TapEvent::kind).toList());
            assertEquals("HTTP/1.1 204 No Content\\r\\n\\r\\n",
                    c.events(between, Instant.now().plusSeconds(1)).stream()
                            .filter(e -> e.kind() == TapEvent.Kind.DATA).findFirst().orElseThrow().printable());
            assertEquals(1, c.events(SERVER_TO_CLIENT, 9, 12).size());
            assertEquals(0, c.events(SERVER_TO_CLIENT, 27, 40).size());
            assertEquals("204", new String(c.stream(SERVER_TO_CLIENT, 9, 12)));
            assertTrue(c.isOpen());
        }
    }

    @Test
    void rendersPlainTextAndHtmlWithoutStylesOrScripts() throws Exception {
        try (ServerSocket server = Wire.server();
             Tap tap = Tap.to(Wire.address(server));
             Socket client = connect(tap);
             Socket upstream = accept(server)) {
            client.getOutputStream().write(ascii("<b>hi</b>"));
            upstream.getInputStream().readNBytes(9);
            tap.awaitBytes(CLIENT_TO_SERVER, 9);
            Map<String, Object> bundle = tap.recording().connection(1).mimeBundle();
            String text = (String) bundle.get(MimeBundle.TEXT);
            String html = (String) bundle.get(MimeBundle.HTML);
            assertTrue(text.startsWith("#1 127.0.0.1:" + client.getLocalPort() + " ⇄ 127.0.0.1:"), text);
            assertTrue(text.contains("client → server DATA 9 B @0: <b>hi</b>"), text);
            assertTrue(html.contains("class=\"wl-tap-connection\"") && html.contains("&lt;b&gt;hi&lt;/b&gt;"), html);
            assertFalse(html.contains("<style") || html.contains("<script") || html.contains("<b>"), html);
        }
    }
}

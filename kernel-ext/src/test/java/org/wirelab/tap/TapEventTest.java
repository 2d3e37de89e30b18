package org.wirelab.tap;

import org.wirelab.wire.Direction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TapEventTest {

    private static final Instant T = Instant.parse("2026-11-25T10:40:00.123456Z");

    private static TapEvent data(Direction d, byte[] bytes, long length) {
        return new TapEvent(1, TapEvent.Kind.DATA, d, T, 0, 0, length, bytes, "");
    }

    @Test
    void textPayloadShowsEscapes() {
        TapEvent e = data(Direction.CLIENT_TO_SERVER, Wire.ascii("GET / HTTP/1.1\r\n"), 16);
        assertEquals("#1 10:40:00.123456 client → server DATA 16 B @0: GET / HTTP/1.1\\r\\n", e.toString());
    }

    @Test
    void binaryPayloadShowsHex() {
        byte[] hello = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};  // RFC 6455 §5.7 unmasked "Hello"
        TapEvent e = data(Direction.SERVER_TO_CLIENT, hello, 7);
        assertEquals("#1 10:40:00.123456 server → client DATA 7 B @0: 81 05 48 65 6c 6c 6f", e.toString());
    }

    @Test
    void partlyRecordedPayloadSaysSo() {
        TapEvent e = data(Direction.SERVER_TO_CLIENT, Wire.ascii("tail"), 10);
        assertFalse(e.complete());
        assertEquals("#1 10:40:00.123456 server → client DATA 10 B @0: tail [6 B not recorded]", e.toString());
    }

    @Test
    void finAndResetShowOffsetAndNote() {
        TapEvent fin = new TapEvent(2, TapEvent.Kind.FIN, Direction.CLIENT_TO_SERVER, T, 0, 78, 0, null, "");
        assertEquals("#2 10:40:00.123456 client → server FIN @78", fin.toString());
        TapEvent rst = new TapEvent(2, TapEvent.Kind.RESET, Direction.SERVER_TO_CLIENT, T, 0, 5, 0, null,
                "sent by the tap to the client (idle timeout)");
        assertEquals("#2 10:40:00.123456 server → client RESET @5 (sent by the tap to the client (idle timeout))",
                rst.toString());
    }

    @Test
    void listingsCountMillisecondsFromTheFirstEventAndCutLongPayloads() {
        byte[] request = Wire.ascii("GET /delay/300 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: wirelab\r\n\r\n");
        TapEvent first = new TapEvent(1, TapEvent.Kind.DATA, Direction.CLIENT_TO_SERVER, T, 1_000_000_000L, 0,
                request.length, request, "");
        TapEvent fin = new TapEvent(1, TapEvent.Kind.FIN, Direction.CLIENT_TO_SERVER, T, 1_012_345_678L, 65, 0, null, "");
        assertEquals("#1 +0.000 ms client → server DATA 65 B @0: GET /delay/300 HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUser-A"
                + " … (17 more bytes)", first.line(Connection.t0(java.util.List.of(fin, first)), Connection.PREVIEW));
        assertEquals("#1 +12.346 ms client → server FIN @65", fin.line(1_000_000_000L, Connection.PREVIEW));
        String html = Connection.eventTable(java.util.List.of(first, fin), 10);
        assertTrue(html.contains("<td title=\"2026-11-25T10:40:00.123456Z\">+12.346 ms</td>"), html);
        assertTrue(html.contains("<code>GET /delay/300 HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUser-A … (17 more bytes)</code>"), html);
        assertFalse(html.contains("User-Agent: wirelab"), html);
    }

    @Test
    void aConnectionsLifetimeCountsByTheEventsClockNotTheWallClock() {
        // the wall clock says 476 ms between open and close, the events' monotonic clock 292.6 ms
        TapEvent open = new TapEvent(1, TapEvent.Kind.OPEN, null, T, 5_000_000_000L, 0, 0, null, "");
        TapEvent close = new TapEvent(1, TapEvent.Kind.CLOSE, null, T, 5_292_600_000L, 0, 0, null, "");
        java.net.InetSocketAddress a = new java.net.InetSocketAddress("127.0.0.1", 58670);
        java.net.InetSocketAddress s = new java.net.InetSocketAddress("127.0.0.1", 35641);
        Connection.Side none = new Connection.Side(new byte[0], new byte[0], 0);
        Connection c = new Connection(1, a, s, a, s, T, T.plusMillis(476), null, none, none, java.util.List.of(open, close), 0);
        assertTrue(c.toString().startsWith("#1 127.0.0.1:58670 ⇄ 127.0.0.1:35641 closed after 292 ms"), c.toString());
        assertTrue(c.toString().contains("  #1 +292.600 ms CLOSE\n"), c.toString());
    }
}

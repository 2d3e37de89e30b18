package org.wirelab.tap;

import org.wirelab.wire.Direction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}

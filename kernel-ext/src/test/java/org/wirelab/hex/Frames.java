package org.wirelab.hex;

import java.util.HexFormat;
import java.util.List;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.dissect.Problem;

/** RFC 6455 §5.7 frames dissected by hand, as Wireshark names their fields. */
final class Frames {

    private Frames() {
    }

    static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s);
    }

    /** Masked "Hello": 81 85 37 fa 21 3d 7f 9f 4d 51 58. */
    static Dissection maskedHello() {
        byte[] b = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        Field flags = new Field("websocket.flags", 0, 1, "0x81", List.of(
                Field.of("websocket.fin", 0, 1, "1"),
                Field.of("websocket.rsv", 0, 1, "0x0"),
                Field.of("websocket.opcode", 0, 1, "1")));
        Field ws = new Field("websocket", 0, 11, "WebSocket Text [FIN] [MASKED]", List.of(
                flags,
                Field.of("websocket.mask", 1, 1, "1"),
                Field.of("websocket.payload_length", 1, 1, "5"),
                Field.of("websocket.masking_key", 2, 4, "37fa213d"),
                Field.of("websocket.masked_payload", 6, 5, "7f9f4d5158")));
        return new Dissection("websocket", b, List.of(ws), List.of());
    }

    /** A frame announcing 126 (two length bytes follow) that ends after one of them. */
    static Dissection truncated() {
        byte[] b = hex("82 7e 01");
        return new Dissection("websocket", b, List.of(
                new Field("websocket.flags", 0, 1, "0x82", List.of(Field.of("websocket.opcode", 0, 1, "2"))),
                Field.of("websocket.payload_length", 1, 1, "126")),
                List.of(new Problem(2, 1, "truncated: payload length 126 needs 2 more bytes")));
    }
}

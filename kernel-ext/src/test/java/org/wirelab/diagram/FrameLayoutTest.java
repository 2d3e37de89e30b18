package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.dissect.Dissect;

class FrameLayoutTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc6455MaskedHelloFillsEveryHeaderBitAndUnmasksThePayload() {
        FrameLayout f = FrameLayout.of(Dissect.websocket(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
        assertEquals("""
                RFC 6455 §5.2 frame layout, this frame's bits (81 85 37 fa 21 3d 7f 9f 4d 51 58)
                 0                   1                   2                   3
                 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
                +-+-+-+-+-------+-+-------------+-------------------------------+
                |1|0|0|0|0 0 0 1|1|0 0 0 0 1 0 1|0 0 1 1 0 1 1 1 1 1 1 1 1 0 1 0|
                +-------------------------------+---------------+---------------+
                |0 0 1 0 0 0 0 1 0 0 1 1 1 1 0 1|0 1 1 1 1 1 1 1|1 0 0 1 1 1 1 1|
                +---------------+---------------+---------------+
                |0 1 0 0 1 1 0 1|0 1 0 1 0 0 0 1|0 1 0 1 1 0 0 0|
                +---------------+---------------+---------------+
                FIN           1               the final fragment of its message
                RSV1-3        0 0 0           0: no extension negotiated one
                opcode        0x1             Text
                MASK          1               masked: a client's frame
                payload len   5               5 payload bytes
                masking key   37 fa 21 3d     payload byte i is XORed with key byte i mod 4 (§5.3)
                payload data  7f 9f 4d 51 58  unmasked: 48 65 6c 6c 6f "Hello\"""", f.toString());
    }

    @Test
    void serverFrameOf256BytesShowsThe16BitLengthAndNoKey() {
        byte[] frame = new byte[4 + 256];
        System.arraycopy(hex("82 7e 01 00"), 0, frame, 0, 4);
        String text = FrameLayout.of(frame).toString();
        assertTrue(text.contains("payload len              126 "), text);
        assertTrue(text.contains("126: the length is in the next 16 bits"), text);
        assertTrue(text.contains("extended payload length  01 00 "), text);
        assertTrue(text.contains("  256 payload bytes"), text);
        assertTrue(text.contains("payload data             00 00 00 00 00 00 00 00 … (248 more bytes not drawn)"), text);
        assertFalse(text.contains("masking key"), text);
    }

    @Test
    void htmlIsTablesWithClassesAndNoStyleScriptOrSvg() {
        String html = (String) FrameLayout.of(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")).mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.startsWith("<div class=\"wl-frame-layout\""), html);
        assertTrue(html.contains("colspan=\"4\""), "opcode spans 4 bit columns: " + html);
        assertTrue(html.contains("<div>00110111 11111010</div>"), "masking key, first row part: " + html);
        assertFalse(html.contains("<style") || html.contains("<script") || html.contains("<svg"), html);
    }

    @Test
    void aCutHeaderIsAnErrorInProtocolTerms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameLayout.of(hex("81")));
        assertTrue(e.getMessage().contains("RFC 6455 §5.2"), e.getMessage());
    }
}

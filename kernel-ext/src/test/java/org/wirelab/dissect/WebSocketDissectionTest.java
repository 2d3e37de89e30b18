package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketDissectionTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String fieldsOf(Dissection d) {
        StringBuilder s = new StringBuilder();
        for (Field f : d.allFields()) {
            if (!f.name().equals("websocket")) {
                s.append(f.name()).append('@').append(f.offset()).append('+').append(f.length()).append('=').append(f.value()).append('\n');
            }
        }
        return s.toString();
    }

    @Test
    void unmaskedHelloFromRfc6455Section57() {
        WebSocketDissection d = Dissect.websocket(hex("81 05 48 65 6c 6c 6f"));
        assertEquals("""
                websocket.fin@0+1=1
                websocket.rsv@0+1=0x00
                websocket.opcode@0+1=1
                websocket.mask@1+1=0
                websocket.payload_length@1+1=5
                websocket.payload@2+5=48:65:6c:6c:6f
                websocket.payload.text@2+5=Hello
                """, fieldsOf(d));
        assertEquals(List.of(), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
        assertEquals("Hello", d.messages().get(0).text());
    }

    @Test
    void maskedHelloShowsKeyMaskedBytesAndUnmaskedText() {
        WebSocketDissection d = Dissect.websocket(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        assertEquals("""
                websocket.fin@0+1=1
                websocket.rsv@0+1=0x00
                websocket.opcode@0+1=1
                websocket.mask@1+1=1
                websocket.payload_length@1+1=5
                websocket.masking_key@2+4=37:fa:21:3d
                websocket.masked_payload@6+5=7f:9f:4d:51:58
                websocket.payload@6+5=48:65:6c:6c:6f
                websocket.payload.text@6+5=Hello
                """, fieldsOf(d));
        assertEquals(Opcode.TEXT, d.messages().get(0).opcode());
    }

    @Test
    void fragmentsJoinIntoOneMessage() {
        WebSocketDissection d = Dissect.websocket(hex("01 03 48 65 6c 80 02 6c 6f"));
        assertEquals(2, d.fields().size());
        assertEquals("0", d.fields().get(0).children().get(0).value());
        assertEquals("websocket.payload.continue", d.fields().get(1).children().get(5).children().get(0).name());
        assertEquals(1, d.messages().size());
        assertEquals("Hello", d.messages().get(0).text());
        assertEquals(2, d.messages().get(0).frames());
    }

    @Test
    void pingAndMaskedPongAreControlMessages() {
        WebSocketDissection d = Dissect.websocket(hex("89 05 48 65 6c 6c 6f 8a 85 37 fa 21 3d 7f 9f 4d 51 58"));
        assertEquals("48:65:6c:6c:6f", d.value("websocket.payload.ping"));
        assertEquals("48:65:6c:6c:6f", d.value("websocket.payload.pong"));
        assertEquals(List.of(Opcode.PING, Opcode.PONG), d.messages().stream().map(WebSocketMessage::opcode).toList());
        assertTrue(Opcode.PING.isControl());
        assertEquals(0x9, Opcode.PING.code());
    }

    @Test
    void binary256UsesSixteenBitLength() {
        byte[] frame = new byte[4 + 256];
        System.arraycopy(hex("82 7e 01 00"), 0, frame, 0, 4);
        WebSocketDissection d = Dissect.websocket(frame);
        assertEquals("126", d.value("websocket.payload_length"));
        Field ext = d.field("websocket.payload_length_ext_16").orElseThrow();
        assertEquals(List.of(2, 2, "256"), List.of(ext.offset(), ext.length(), ext.value()));
        assertEquals(256, d.messages().get(0).payload().length);
        assertEquals(List.of(), d.uncoveredBytes());
    }

    @Test
    void binary64KibUsesSixtyFourBitLength() {
        byte[] frame = new byte[10 + 65536];
        System.arraycopy(hex("82 7f 00 00 00 00 00 01 00 00"), 0, frame, 0, 10);
        WebSocketDissection d = Dissect.websocket(frame);
        Field ext = d.field("websocket.payload_length_ext_64").orElseThrow();
        assertEquals(List.of(2, 8, "65536"), List.of(ext.offset(), ext.length(), ext.value()));
        assertEquals(Opcode.BINARY, d.messages().get(0).opcode());
        assertEquals(List.of(), d.problems());
    }

    @Test
    void closeCarriesStatusCode1000() {
        WebSocketDissection d = Dissect.websocket(hex("88 02 03 e8"));
        Field code = d.field("websocket.payload.close.status_code").orElseThrow();
        assertEquals(List.of(2, 2, "1000"), List.of(code.offset(), code.length(), code.value()));
        assertEquals("8", d.value("websocket.opcode"));
    }

    @Test
    void closeReasonFollowsTheCode() {
        WebSocketDissection d = Dissect.websocket(hex("88 05 03 e8 62 79 65"));
        assertEquals("bye", d.value("websocket.payload.close.reason"));
    }

    @Test
    void truncatedExtendedLengthSaysHowManyBytesAreMissing() {
        WebSocketDissection d = Dissect.websocket(hex("82 7e 01"));
        assertEquals(List.of(new Problem(2, 1, "truncated: payload length 126 needs 1 more byte")), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
        assertEquals(List.of(new Problem(2, 0, "truncated: payload length 126 needs 2 more bytes")),
                Dissect.websocket(hex("82 7e")).problems());
    }

    @Test
    void truncatedPayloadCoversWhatArrived() {
        WebSocketDissection d = Dissect.websocket(hex("81 05 48 65"));
        assertEquals(List.of(new Problem(2, 2, "truncated: payload of 5 bytes, have 2")), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
    }

    @Test
    void oversizedControlFrameIsAProtocolError() {
        byte[] frame = new byte[4 + 126];
        System.arraycopy(hex("89 7e 00 7e"), 0, frame, 0, 4);
        assertEquals("control frame Ping longer than 125 bytes (RFC 6455 §5.5)",
                Dissect.websocket(frame).problems().get(0).message());
    }

    @Test
    void messagesKeepPayloadBytes() {
        assertArrayEquals("Hello".getBytes(), Dissect.websocket(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")).messages().get(0).payload());
    }
}

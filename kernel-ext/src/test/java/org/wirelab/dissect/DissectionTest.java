package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DissectionTest {

    // RFC 6455 §5.7: a single-frame unmasked text message "Hello".
    static final byte[] HELLO = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};

    static Dissection hello() {
        Field flags = new Field("websocket.flags", 0, 1, "0x81",
                List.of(Field.of("websocket.fin", 0, 1, "1"), Field.of("websocket.opcode", 0, 1, "1")));
        return new Dissection("websocket", HELLO,
                List.of(flags, Field.of("websocket.payload_length", 1, 1, "5"), Field.of("websocket.payload", 2, 5, "Hello")),
                List.of());
    }

    @Test
    void hexIsLowerCasePairs() {
        assertEquals("81 05 48 65 6c 6c 6f", hello().hex());
    }

    @Test
    void fieldsAreFoundDepthFirst() {
        assertEquals(List.of("websocket.flags", "websocket.fin", "websocket.opcode", "websocket.payload_length", "websocket.payload"),
                hello().allFields().stream().map(Field::name).toList());
        assertEquals("1", hello().value("websocket.opcode"));
    }

    @Test
    void anAbsentFieldIsNamedWithTheOnesPresent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hello().value("websocket.masking_key"));
        assertEquals("no field websocket.masking_key in this websocket dissection; fields: [websocket.flags, websocket.fin, "
                + "websocket.opcode, websocket.payload_length, websocket.payload]", e.getMessage());
    }

    @Test
    void bytesCannotBeChangedFromOutside() {
        Dissection d = hello();
        d.bytes()[0] = 0;
        assertEquals((byte) 0x81, d.bytes()[0]);
    }
}

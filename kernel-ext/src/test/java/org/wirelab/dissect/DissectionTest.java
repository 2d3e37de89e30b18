package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class DissectionTest {

    @Test
    void uncoveredBytesListsRunsNoFieldOrProblemCovers() {
        Dissection d = new Dissection("test", new byte[10], List.of(Field.of("a", 0, 2, "x"), Field.of("b", 5, 1, "y")),
                List.of(new Problem(8, 1, "bad")));
        assertEquals(List.of(new Dissection.Gap(2, 3), new Dissection.Gap(6, 2), new Dissection.Gap(9, 1)),
                d.uncoveredBytes());
    }

    @Test
    void valueOfAMissingFieldNamesTheFieldsPresent() {
        Dissection d = Dissect.websocket(new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xe8});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.value("websocket.payload.text"));
        assertTrue(e.getMessage().startsWith("no field websocket.payload.text in this websocket dissection; fields: [websocket, "),
                e.getMessage());
    }

    @Test
    void textTableKeepsEachFieldOnOneLine() {
        Dissection d = Dissect.http("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\na\r\n".getBytes());
        assertTrue(d.toString().contains("   38    3  http.file_data                       a\\r\\n\n"), d.toString());
    }

    @Test
    void rendersAsTextTableAndHtmlTable() {
        Dissection d = Dissect.websocket(new byte[] {(byte) 0x81, 0x02, '<', 'b'});
        assertTrue(d.toString().contains("    2    2  websocket.payload.text               <b\n"), d.toString());
        String html = (String) d.mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains("<code>websocket.payload.text</code></td><td>&lt;b</td>"), html);
        assertEquals("81 02 3c 62", d.hex());
    }

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
    void bytesCannotBeChangedFromOutside() {
        Dissection d = hello();
        d.bytes()[0] = 0;
        assertEquals((byte) 0x81, d.bytes()[0]);
    }

    @Test
    void onlyKeepsTheNamedFieldsOfOneSynPacket() {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        try (org.wirelab.pcap.PcapWriter pcap = org.wirelab.pcap.PcapWriter.create(file).seed(3)) {
            pcap.tcp(new java.net.InetSocketAddress("127.0.0.1", 51234), new java.net.InetSocketAddress("127.0.0.1", 8080),
                    java.time.Instant.EPOCH);
        }
        Dissection syn = Dissect.pcap(file.toByteArray()).packets().get(0);
        Dissection keys = syn.only("tcp.dstport", "eth.type", "ip.proto");
        // Ethernet type at 12 (IEEE 802.3), IPv4 protocol at 14 + 9 (RFC 791), TCP destination port at 34 + 2
        assertEquals(List.of(new Field("eth.type", 12, 2, "0x0800", List.of()), new Field("ip.proto", 23, 1, "6", List.of()),
                new Field("tcp.dstport", 36, 2, "8080", List.of())), keys.fields());
        assertEquals(syn.hex(), keys.hex());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> syn.only("http.request.method"));
        assertTrue(e.getMessage().startsWith("no field http.request.method in this frame dissection; fields: [eth, "),
                e.getMessage());
    }
}

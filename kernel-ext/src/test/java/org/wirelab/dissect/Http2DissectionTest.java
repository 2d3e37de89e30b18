package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http2DissectionTest {

    static final String MAGIC = "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a";

    /** A client direction with every frame type, offsets in the comments. */
    static final byte[] EVERY_TYPE = HexFormat.of().parseHex(MAGIC                       //   0 preface
            + "00000c040000000000" + "000300000064" + "00040000ffff"                        //  24 SETTINGS
            + "000004080000000000" + "00010000"                                              //  45 WINDOW_UPDATE
            + "00000a012800000001" + "02" + "80000000" + "0f" + "8286" + "0000"              //  58 HEADERS s=1 PADDED PRIORITY
            + "000012090400000001" + "84410f7777772e6578616d706c652e636f6d"                  //  77 CONTINUATION END_HEADERS
            + "000009000900000001" + "03" + "68656c6c6f" + "000000"                          // 104 DATA END_STREAM PADDED
            + "000008060000000000" + "0102030405060708"                                      // 122 PING
            + "000005020000000003" + "00000001" + "10"                                       // 139 PRIORITY s=3
            + "000004030000000003" + "00000008"                                              // 153 RST_STREAM CANCEL
            + "000004010500000005" + "828684be"                                              // 166 HEADERS s=5
            + "00000a070000000000" + "00000005" + "00000000" + "6869"                         // 179 GOAWAY
            + "000002fa0000000000" + "abcd");                                                // 198 unknown type 0xfa

    static String at(Dissection d, String name, int offset) {
        return d.allFields().stream().filter(f -> f.name().equals(name) && f.offset() == offset)
                .map(f -> f.length() + ":" + f.value()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " at " + offset + " in\n" + d));
    }

    @Test
    void everyFrameTypeAtItsOffsets() {
        Http2Dissection d = Dissect.http2(EVERY_TYPE);
        assertEquals(List.of(), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
        assertEquals("24:PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", at(d, "http2.magic", 0));
        assertEquals("3:12", at(d, "http2.length", 24));
        assertEquals("1:4", at(d, "http2.type", 27));
        assertEquals("4:0", at(d, "http2.streamid", 29));
        assertEquals("2:3", at(d, "http2.settings.id", 33));
        assertEquals("4:100", at(d, "http2.settings.max_concurrent_streams", 35));
        assertEquals("4:65535", at(d, "http2.settings.initial_window_size", 41));
        assertEquals("4:65536", at(d, "http2.window_update.window_size_increment", 54));
        assertEquals("1:0x28", at(d, "http2.flags", 62));
        assertEquals("1:2", at(d, "http2.padding", 67));
        assertEquals("4:1", at(d, "http2.exclusive", 68));
        assertEquals("1:16", at(d, "http2.headers.weight_real", 72));
        assertEquals("2:82:86", at(d, "http2.headers", 73));
        assertEquals("2:00:00", at(d, "http2.headers.padding", 75));
        assertEquals("18:84:41:0f:77:77:77:2e:65:78:61:6d:70:6c:65:2e:63:6f:6d", at(d, "http2.continuation.header", 86));
        assertEquals("17::authority: www.example.com", at(d, "http2.header", 87));
        assertEquals("16:www.example.com", at(d, "http2.header.value", 88));
        assertEquals("1:Literal Header Field with Incremental Indexing - Indexed Name", at(d, "http2.header.repr", 87));
        assertEquals("5:68:65:6c:6c:6f", at(d, "http2.data.data", 114));
        assertEquals("3:00:00:00", at(d, "http2.data.padding", 119));
        assertEquals("8:01:02:03:04:05:06:07:08", at(d, "http2.ping", 131));
        assertEquals("4:1", at(d, "http2.stream_dependency", 148));
        assertEquals("4:8", at(d, "http2.rst_stream.error", 162));
        assertEquals("1::authority: www.example.com", at(d, "http2.header", 178));
        assertEquals("1:62", at(d, "http2.header.index", 178));
        assertEquals("4:5", at(d, "http2.goaway.last_stream_id", 188));
        assertEquals("2:68:69", at(d, "http2.goaway.addata", 196));
        assertEquals("2:ab:cd", at(d, "http2.unknown", 207));

        assertEquals(List.of("SETTINGS s=0", "WINDOW_UPDATE s=0", "HEADERS s=1 PADDED PRIORITY", "CONTINUATION s=1 END_HEADERS",
                "DATA s=1 len=5 END_STREAM PADDED", "PING s=0", "PRIORITY s=3", "RST_STREAM s=3", "HEADERS s=5 END_STREAM END_HEADERS",
                "GOAWAY s=0", "type 250 s=0"), d.frames().stream().map(Http2Dissection.Frame::label).toList());
        var block = d.frames().get(3);
        assertEquals(List.of(":method: GET (indexed, 1 byte)", ":scheme: http (indexed, 1 byte)", ":path: / (indexed, 1 byte)",
                ":authority: www.example.com (literal, incremental indexing, 17 bytes)"),
                block.headers().stream().map(Object::toString).toList());
        assertEquals(List.of(new Http2Dissection.TableEntry(62, ":authority", "www.example.com", 57)), block.table());
        assertEquals(List.of(0, 1, 3, 5), d.streamIds());
    }

    @Test
    void hpackHeaderFieldsCarryTheirLengthsNamedFieldsAndUnescapedValues() {
        // RFC 7541 C.4.1 (Huffman): :method GET, :scheme http, :path /, :authority www.example.com
        Http2Dissection d = Dissect.http2(HexFormat.of().parseHex(MAGIC
                + "000011010500000001" + "828684418cf1e3c2e5f23a6ba0ab90f4ff"                 //  24 HEADERS s=1
                + "000014010500000003" + "04072f612532306263" + "04042f257a7a" + "4803616263")); //  50 HEADERS s=3
        assertEquals(List.of(), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
        // 4 + name + 4 + value octets per field: 18 + 19 + 14 + 33
        assertEquals("17:84", at(d, "http2.header.length", 33));
        assertEquals("17:4", at(d, "http2.header.count", 33));
        assertEquals("1:7", at(d, "http2.header.name.length", 33));
        assertEquals("1:3", at(d, "http2.header.value.length", 33));
        assertEquals("1:GET", at(d, "http2.headers.method", 33));
        assertEquals("13:15", at(d, "http2.header.value.length", 37));
        assertEquals("13:www.example.com", at(d, "http2.headers.authority", 37));
        assertEquals("13:www.example.com", at(d, "http2.header.unescaped", 37));
        assertEquals("0:http://www.example.com/", at(d, "http2.request.full_uri", 24));
        // "/a%20bc" percent-decoded; "/%zz" is not a valid escape; :status "abc" is not a number
        assertEquals("8:/a bc", at(d, "http2.header.unescaped", 60));
        assertEquals("5:/%zz", at(d, "http2.headers.path", 69));
        assertEquals("5:/%zz", at(d, "http2.header.value", 69));
        assertTrue(d.allFields().stream().noneMatch(f -> f.name().equals("http2.header.unescaped") && f.offset() == 69), d::toString);
        assertEquals("4:abc", at(d, "http2.header.value", 75));
        assertTrue(d.allFields().stream().noneMatch(f -> f.name().equals("http2.headers.status")), d::toString);
        assertTrue(d.allFields().stream().filter(f -> f.name().equals("http2.request.full_uri")).count() == 1, d::toString);
    }

    static final byte[] TWO_DATA_FRAMES = HexFormat.of().parseHex(
            "000005000000000001" + "68656c6c6f"                                              //  0 DATA s=1 "hello"
            + "000006000100000001" + "20776f726c64");                                        // 14 DATA s=1 END_STREAM " world"

    @Test
    void aBodyOfSeveralDataFramesIsReassembledInItsLastFrame() {
        Http2Dissection d = Dissect.http2(TWO_DATA_FRAMES);
        assertEquals(List.of(), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
        assertEquals(List.of("5:68:65:6c:6c:6f", "20:68:65:6c:6c:6f:20:77:6f:72:6c:64"), d.allFields().stream()
                .filter(f -> f.name().equals("http2.data.data")).map(f -> f.length() + ":" + f.value()).toList());
        assertEquals("20:2", at(d, "http2.body.fragment.count", 9));
        assertEquals("20:11", at(d, "http2.body.reassembled.length", 9));
        assertEquals("20:68:65:6c:6c:6f:20:77:6f:72:6c:64", at(d, "http2.body.reassembled.data", 9));
        // which capture frame carried each fragment is known only from a capture
        assertTrue(d.field("http2.body.fragment").isEmpty(), d::toString);
        TcpStream captured = new TcpStream(0, "127.0.0.1:8080", "127.0.0.1:50000",
                List.of(new TcpStream.Segment(4, 66, 0, 14), new TcpStream.Segment(6, 66, 14, 15)), Dissect.stream(TWO_DATA_FRAMES));
        Http2Dissection c = Dissect.http2(captured);
        assertEquals("5:4", at(c, "http2.body.fragment", 9));
        assertEquals("6:6", at(c, "http2.body.fragment", 23));
    }

    static final String UPGRADE = "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";                                // value at 92

    @Test
    void http2SettingsOfAnUpgradeRequestAreDecodedAtTheirBase64Characters() {
        for (Dissection d : List.of(Dissect.http(UPGRADE.getBytes(StandardCharsets.ISO_8859_1)),
                Dissect.http2(UPGRADE.getBytes(StandardCharsets.ISO_8859_1)))) {
            assertEquals(List.of(), d.problems());
            assertEquals("42:AAMAAABkAAQCAAAAAAIAAAAA", at(d, "http.http2_settings", 76));
            // 00 03 00 00 00 64 = "AAMAAABk": the id's 16 bits are in characters 0-2, the value's 32 in 2-7
            assertEquals("8:Max concurrent streams : 100", at(d, "http2.settings", 92));
            assertEquals("3:3", at(d, "http2.settings.id", 92));
            assertEquals("6:100", at(d, "http2.settings.max_concurrent_streams", 94));
            assertEquals("6:33554432", at(d, "http2.settings.initial_window_size", 102));
            assertEquals("6:0", at(d, "http2.settings.enable_push", 110));
        }
    }

    @Test
    void http2SettingsThatAreNotBase64urlOrNotWholeParametersAreProblems() {
        Dissection bad = Dissect.http("GET / HTTP/1.1\r\nHTTP2-Settings: AA*A\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, bad.problems().size(), bad::toString);
        assertEquals(32, bad.problems().get(0).offset());
        assertTrue(bad.problems().get(0).message().startsWith("HTTP2-Settings is not base64url (RFC 9113 §3.2.1)"), bad::toString);
        // 10 characters: 7 bytes, one parameter and a byte left over
        Dissection cut = Dissect.http("GET / HTTP/1.1\r\nHTTP2-Settings: AAMAAABkAA\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(new Problem(32, 10, "SETTINGS payload of 7 bytes is not a multiple of 6: a FRAME_SIZE_ERROR (RFC 9113 §6.5)")),
                cut.problems());
        assertEquals("6:100", at(cut, "http2.settings.max_concurrent_streams", 34));
        assertEquals(List.of(), cut.uncoveredBytes());
    }

    static Problem onlyProblem(String hex) {
        Http2Dissection d = Dissect.http2(HexFormat.of().parseHex(hex));
        assertEquals(1, d.problems().size(), d.problems().toString());
        assertEquals(List.of(), d.uncoveredBytes());
        return d.problems().get(0);
    }

    @Test
    void truncatedFrameHeaderIsAProblem() {
        assertEquals(new Problem(24, 5, "truncated: frame header needs 9 bytes, have 5 (RFC 9113 §4.1)"),
                onlyProblem(MAGIC + "0000080600"));
    }

    @Test
    void aClaimedLengthBeyondTheBytesIsAProblemNotAnAllocation() {
        assertEquals(new Problem(9, 3, "truncated: DATA frame says 16777215 payload bytes, have 3 (RFC 9113 §4.1)"),
                onlyProblem("ffffff000000000001" + "616263"));
    }

    @Test
    void settingsNotAMultipleOf6IsAFrameSizeError() {
        Problem p = onlyProblem("000005040000000000" + "0003000000");
        assertEquals(9, p.offset());
        assertTrue(p.message().contains("not a multiple of 6: a FRAME_SIZE_ERROR (RFC 9113 §6.5)"), p.message());
    }

    @Test
    void windowUpdateOfZeroIsAProtocolError() {
        assertEquals(new Problem(9, 4, "WINDOW_UPDATE with an increment of 0: a PROTOCOL_ERROR (RFC 9113 §6.9)"),
                onlyProblem("000004080000000001" + "00000000"));
    }

    @Test
    void aFrameBetweenHeadersAndContinuationIsAProtocolError() {
        Problem p = onlyProblem("000001010000000001" + "82" + "000008060000000000" + "0000000000000000");
        assertEquals(10, p.offset());
        assertTrue(p.message().startsWith("PING frame while the header block of stream 1 waits for CONTINUATION"), p.message());
    }

    @Test
    void hpackErrorsPointAtTheWireBytes() {
        Problem p = onlyProblem("000002010500000001" + "8280");
        assertEquals(new Problem(10, 1, "HPACK: index 0 is not in the table (RFC 7541 §6.1: a decoding error)"), p);
    }

    @Test
    void theUpgradeRequestIsHttpThenThePrefaceFollows() {
        byte[] head = "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = DissectPropertiesTest.concat(head, HexFormat.of().parseHex(MAGIC + "000000040000000000"));
        Http2Dissection d = Dissect.http2(all);
        assertEquals(List.of(), d.problems());
        assertEquals("h2c", d.value("http.upgrade"));
        assertEquals("24:PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", at(d, "http2.magic", head.length));
        assertEquals(List.of("SETTINGS s=0"), d.frames().stream().map(Http2Dissection.Frame::label).toList());
    }
}

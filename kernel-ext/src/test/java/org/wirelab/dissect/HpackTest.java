package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C, byte for byte, and the Huffman table of Appendix B. */
class HpackTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static List<String> fields(Hpack.Block b) {
        assertEquals(List.of(), b.problems());
        return b.headers().stream().map(h -> h.name() + ": " + h.value()).toList();
    }

    static List<String> table(Hpack h) {
        return h.table().stream().map(e -> "(s = " + e.size() + ") " + e.name() + ": " + e.value()).toList();
    }

    @Test
    void c2_1LiteralWithIndexingEntersTheTable() {
        Hpack h = new Hpack();
        var b = h.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        assertEquals(List.of("custom-key: custom-header"), fields(b));
        assertEquals(Http2Dissection.Representation.INCREMENTAL_NEW_NAME, b.headers().get(0).representation());
        assertEquals(List.of("(s = 55) custom-key: custom-header"), table(h));
        assertEquals(55, h.size());
    }

    @Test
    void c2_2LiteralWithoutIndexingLeavesTheTableEmpty() {
        Hpack h = new Hpack();
        var b = h.decode(hex("040c 2f73 616d 706c 652f 7061 7468"));
        assertEquals(List.of(":path: /sample/path"), fields(b));
        assertEquals(Http2Dissection.Representation.WITHOUT_INDEXED_NAME, b.headers().get(0).representation());
        assertEquals(List.of(), table(h));
    }

    @Test
    void c2_3NeverIndexedLeavesTheTableEmpty() {
        Hpack h = new Hpack();
        var b = h.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"));
        assertEquals(List.of("password: secret"), fields(b));
        assertEquals(Http2Dissection.Representation.NEVER_NEW_NAME, b.headers().get(0).representation());
        assertEquals(0, h.size());
    }

    @Test
    void c2_4IndexedFromTheStaticTable() {
        Hpack h = new Hpack();
        var b = h.decode(hex("82"));
        assertEquals(List.of(":method: GET"), fields(b));
        assertEquals(Http2Dissection.Representation.INDEXED, b.headers().get(0).representation());
        assertEquals(0, h.size());
    }

    static final List<String> R1 = List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
    static final List<String> R2 = List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com",
            "cache-control: no-cache");
    static final List<String> R3 = List.of(":method: GET", ":scheme: https", ":path: /index.html",
            ":authority: www.example.com", "custom-key: custom-value");

    private static void requests(String first, String second, String third) {
        Hpack h = new Hpack();
        assertEquals(R1, fields(h.decode(hex(first))));
        assertEquals(List.of("(s = 57) :authority: www.example.com"), table(h));
        assertEquals(57, h.size());
        assertEquals(R2, fields(h.decode(hex(second))));
        assertEquals(List.of("(s = 53) cache-control: no-cache", "(s = 57) :authority: www.example.com"), table(h));
        assertEquals(110, h.size());
        assertEquals(R3, fields(h.decode(hex(third))));
        assertEquals(List.of("(s = 54) custom-key: custom-value", "(s = 53) cache-control: no-cache",
                "(s = 57) :authority: www.example.com"), table(h));
        assertEquals(164, h.size());
    }

    @Test
    void c3RequestsWithoutHuffmanShareOneDynamicTable() {
        requests("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "8286 84be 5808 6e6f 2d63 6163 6865",
                "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65");
    }

    @Test
    void c4RequestsWithHuffmanShareOneDynamicTable() {
        requests("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                "8286 84be 5886 a8eb 1064 9cbf",
                "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
    }

    static final String DATE1 = "date: Mon, 21 Oct 2013 20:13:21 GMT";
    static final String DATE2 = "date: Mon, 21 Oct 2013 20:13:22 GMT";
    static final String COOKIE = "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    private static void responses(String first, String second, String third) {
        Hpack h = new Hpack(256);
        assertEquals(List.of(":status: 302", "cache-control: private", DATE1, "location: https://www.example.com"),
                fields(h.decode(hex(first))));
        assertEquals(List.of("(s = 63) location: https://www.example.com", "(s = 65) " + DATE1,
                "(s = 52) cache-control: private", "(s = 42) :status: 302"), table(h));
        assertEquals(222, h.size());
        assertEquals(List.of(":status: 307", "cache-control: private", DATE1, "location: https://www.example.com"),
                fields(h.decode(hex(second))));
        assertEquals(List.of("(s = 42) :status: 307", "(s = 63) location: https://www.example.com",
                "(s = 65) " + DATE1, "(s = 52) cache-control: private"), table(h));
        assertEquals(222, h.size());
        assertEquals(List.of(":status: 200", "cache-control: private", DATE2, "location: https://www.example.com",
                "content-encoding: gzip", COOKIE), fields(h.decode(hex(third))));
        assertEquals(List.of("(s = 98) " + COOKIE, "(s = 52) content-encoding: gzip", "(s = 65) " + DATE2), table(h));
        assertEquals(215, h.size());
    }

    @Test
    void c5ResponsesWithoutHuffmanEvictTheOldestEntries() {
        responses("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32"
                        + " 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "4803 3330 37c1 c0bf",
                "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970"
                        + " 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d"
                        + " 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31");
    }

    @Test
    void c6ResponsesWithHuffmanEvictTheOldestEntries() {
        responses("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad"
                        + " 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                "4883 640e ffc1 c0bf",
                "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2"
                        + " e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106"
                        + " 3d50 07");
    }

    @Test
    void huffmanCodesAreAppendixBs() {
        // a few rows of RFC 7541 Appendix B: symbol, code as hex aligned to the LSB, length
        assertEquals(0x0, Huffman.CODES['0']);
        assertEquals(0x14, Huffman.CODES[' ']);
        assertEquals(0x5c, Huffman.CODES[':']);
        assertEquals(0xfc, Huffman.CODES['X']);
        assertEquals(0x7fff0, Huffman.CODES['\\']);
        assertEquals(0x1ff8, Huffman.CODES[0]);
        assertEquals(0x3ffffffc, Huffman.CODES[10]);
        assertEquals(0x3ffffee, Huffman.CODES[255]);
        assertEquals(0x3fffffff, Huffman.CODES[Huffman.EOS]);
        // the code is complete: the Kraft sum of 2^-length over all 257 symbols is exactly 1
        long kraft = 0;
        for (byte len : Huffman.LENGTHS) {
            kraft += 1L << (30 - len);
        }
        assertEquals(1L << 30, kraft);
    }

    @Test
    void huffmanTableAgreesWithNettysForAll257Symbols() throws Exception {
        Class<?> util = Class.forName("io.netty.handler.codec.http2.HpackUtil");
        Field codes = util.getDeclaredField("HUFFMAN_CODES");
        Field lengths = util.getDeclaredField("HUFFMAN_CODE_LENGTHS");
        codes.setAccessible(true);
        lengths.setAccessible(true);
        int[] nettyCodes = (int[]) codes.get(null);
        byte[] nettyLengths = (byte[]) lengths.get(null);
        assertEquals(257, nettyCodes.length);
        for (int s = 0; s < 257; s++) {
            assertEquals(nettyLengths[s], Huffman.LENGTHS[s], "length of symbol " + s);
            assertEquals(nettyCodes[s], Huffman.CODES[s], "code of symbol " + s);
        }
    }

    @Test
    void huffmanPaddingMustBeOnesAndShorterThanAnOctet() {
        assertEquals("www.example.com", new String(Huffman.decode(hex("f1e3c2e5f23a6ba0ab90f4ff"), 0, 12).bytes(),
                StandardCharsets.US_ASCII));
        assertTrue(Huffman.decode(hex("f1e3c2e5f23a6ba0ab90f4fe"), 0, 12).problem().contains("padding"));
        assertTrue(Huffman.decode(hex("ff"), 0, 1).problem().contains("padding"), "8 bits of padding");
        assertTrue(Huffman.decode(hex("ffffffff"), 0, 4).problem().contains("EOS"), "EOS inside the string");
    }

    @Test
    void badIndexAndTruncatedLiteralAreProblemsNotExceptions() {
        Hpack h = new Hpack();
        var zero = h.decode(hex("80"));
        assertTrue(zero.broken());
        assertEquals(new Problem(0, 1, "index 0 is not in the table (RFC 7541 §6.1: a decoding error)"), zero.problems().get(0));
        var beyond = new Hpack().decode(hex("82 be"));
        assertEquals(List.of(":method: GET"), beyond.headers().stream().map(x -> x.name() + ": " + x.value()).toList());
        assertTrue(beyond.problems().get(0).message().startsWith("index 62 is beyond the table: 61 static + 0 dynamic"));
        var cut = new Hpack().decode(hex("400a 6375 73"));
        assertTrue(cut.problems().get(0).message().startsWith("truncated: string literal of 10 octets"), cut.problems().toString());
        var huge = new Hpack().decode(hex("407f ffff ffff 7f"));
        assertFalse(huge.problems().isEmpty());
    }
}

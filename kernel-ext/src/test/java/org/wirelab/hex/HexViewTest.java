package org.wirelab.hex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.display.MimeBundle;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.testing.Tools;

class HexViewTest {

    private static final Pattern HEX_CELL = Pattern.compile("<td class=\"wl-hexcol\"[^>]*>(.*?)</td>");

    /** The hex pairs of every row, in order, with the markup taken out. */
    static List<String> hexPairs(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = HEX_CELL.matcher(html);
        while (m.find()) {
            for (String p : m.group(1).replaceAll("<[^>]*>", "").trim().split("\\s+")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    @Test
    void everyByteAppearsExactlyOnceInOrder() {
        Dissection d = Frames.maskedHello();
        assertEquals(List.of("81", "85", "37", "fa", "21", "3d", "7f", "9f", "4d", "51", "58"),
                hexPairs(HexView.of(d).html()));
    }

    private static final Pattern OFFSET_CELL = Pattern.compile("<td class=\"wl-off\"[^>]*>([0-9a-f]+)</td>");

    /** The offset column of every row, in order. */
    static List<String> offsets(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = OFFSET_CELL.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void aLongMessageIsFoldedToItsFirstAndLastRowsWithTheirTrueOffsets() {
        byte[] b = new byte[1000];
        new Random(7).nextBytes(b);
        Dissection d = new Dissection("data", b, List.of(Field.of("data.data", 0, 1000, "...")), List.of());
        String html = HexView.of(d).limit(100).html();
        // limit(100): six rows, five from the start and the one holding the last byte
        assertEquals(List.of("0000", "0010", "0020", "0030", "0040", "03e0"), offsets(html));
        assertTrue(html.contains(">... 912 bytes not shown (0x00000050-0x000003df); HexView.full() shows all</td></tr>"), html);
        List<String> all = List.of(d.hex().split(" "));
        List<String> shown = new ArrayList<>(all.subList(0, 80));
        shown.addAll(all.subList(992, 1000));
        assertEquals(shown, hexPairs(html));
        assertEquals(all, hexPairs(HexView.of(d).limit(100).full().html()));
    }

    @Test
    void foldedPlainTextKeepsXxdRowsAroundTheFoldLine() {
        byte[] b = new byte[100];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        assertEquals("""
                00000000: 6162 6364 6566 6768 696a 6b6c 6d6e 6f70  abcdefghijklmnop
                ... 80 bytes not shown (0x00000010-0x0000005f); HexView.full() shows all
                00000060: 7374 7576                                stuv
                """, HexView.of(b).limit(32).toString());
    }

    @Test
    void theFoldRuleKeepsAQuarterOfTheRowsFromTheEnd() {
        // 64 KiB at the default limit: 48 rows from the start, 16 ending with the last byte
        assertEquals(new org.wirelab.wire.Hex.Fold(0, 768, 65_280, 65_536), org.wirelab.wire.Hex.fold(0, 65_536, 1024));
        // a payload that fits is not folded
        assertEquals(new org.wirelab.wire.Hex.Fold(0, 1024, 1024, 1024), org.wirelab.wire.Hex.fold(0, 1024, 1024));
        // the last row may be short: rows start at multiples of 16 from the first byte
        assertEquals(new org.wirelab.wire.Hex.Fold(0, 16, 1040, 1041), org.wirelab.wire.Hex.fold(0, 1041, 16));
    }

    @Test
    void hoveringAByteNamesItsInnermostFieldsAndValues() {
        String html = HexView.of(Frames.maskedHello()).html();
        assertTrue(html.contains("title=\"websocket.masking_key = 37fa213d (bytes 2-5)\">37 fa 21 3d</span>"), html);
        assertTrue(html.contains("title=\"websocket.fin = 1 (bytes 0); websocket.rsv = 0x0 (bytes 0); "
                + "websocket.opcode = 1 (bytes 0)\">81</span>"), html);
        assertTrue(html.contains("title=\"websocket.mask = 1 (bytes 1); websocket.payload_length = 5 (bytes 1)\">85</span>"), html);
    }

    @Test
    void fieldsGetInlineColoursThatSurviveTheSanitizer() {
        String html = HexView.of(Frames.maskedHello()).html();
        assertTrue(html.contains("<span class=\"wl-b wl-f0 wl-h2 wl-h1 wl-h0 wl-h3 wl-h4\" style=\"background-color:rgba(255,99,71,0.35)\""), html);
        assertFalse(html.contains("var(--"), "untrusted notebooks drop var()");
        assertFalse(html.contains("<style"), html);
        assertFalse(html.contains("<svg"), html);
    }

    @Test
    void legendListsDisplayFilterNamesAndValues() {
        String html = HexView.of(Frames.maskedHello()).html();
        String td = "<td style=\"text-align:left;vertical-align:top;padding:0 4px\">";
        assertTrue(html.contains(td + "<code>websocket.masked_payload</code></td>" + td + "7f9f4d5158</td>" + td + "6-10</td>"), html);
    }

    @Test
    void asciiColumnShowsPrintableBytesAndDotsForTheRest() {
        String html = HexView.of("Hi\r\n".getBytes(StandardCharsets.US_ASCII)).html();
        assertTrue(html.contains("<td class=\"wl-ascii\" style=\"white-space:pre;text-align:left;vertical-align:top;padding:0 4px\">Hi..</td>"), html);
    }

    @Test
    void problemRegionsAreMarkedWithTheirMessage() {
        String html = HexView.of(Frames.truncated()).html();
        assertTrue(html.contains("class=\"wl-b wl-problem\" style=\"background-color:rgba(220,0,0,0.5);border-bottom:2px solid #e00000\""
                + " title=\"problem: truncated: payload length 126 needs 2 more bytes\">01</span>"), html);
        assertTrue(html.contains("<li><span class=\"wl-problem\""), html);
    }

    @Test
    void hostileValuesAndPayloadsAreEscaped() {
        byte[] b = "<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII);
        Dissection d = new Dissection("http", b, List.of(Field.of("http.file_data", 0, b.length,
                "<script>alert(\"x\")</script>")), List.of());
        String html = HexView.of(d).html();
        assertFalse(html.toLowerCase().contains("<script"), html);
        assertTrue(html.contains(">&lt;script&gt;alert(1)</span></td>"), html);
        assertTrue(html.contains("http.file_data = &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), html);
    }

    @Test
    void aFullViewOfAHugePayloadStopsAtTheOutputLimitAndSaysSo() {
        String text = HexView.of(new byte[20_000]).full().toString();
        assertTrue(text.endsWith("00001ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
                + "... 11808 more bytes not shown (output limit 45 KB); bytes() has all 20000\n"), text.substring(text.length() - 200));
    }

    @Test
    void bytesBeyondTheLimitAreFoldedIntoOneLine() {
        String html = HexView.of(new byte[100]).limit(32).html();
        assertEquals(List.of("0000", "0060"), offsets(html));
        assertTrue(html.contains("<tr><td class=\"wl-more\" colspan=\"3\" style=\"text-align:left;vertical-align:top;padding:0 4px\">"
                + "... 80 bytes not shown (0x00000010-0x0000005f); HexView.full() shows all</td></tr>"), html);
        assertEquals(16 + 4, hexPairs(html).size());
    }

    @Test
    void rowsAreSixteenBytesWithAGapAfterEight() {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) i;
        }
        String html = HexView.of(b).html();
        assertTrue(html.contains(">00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f</td>"), html);
        assertEquals(1, HexView.of(b).rows(1).html().split("<tr>").length - 1);
    }

    @Test
    void noOutputExceeds45KBAndAFoldedOneIsSmall() {
        byte[] big = new byte[1_000_000];
        new Random(1).nextBytes(big);
        List<Field> many = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            many.add(Field.of("data.byte" + i, i, 1, "value <" + i + ">"));
        }
        Dissection d = new Dissection("data", big, many, List.of());
        for (HexView v : List.of(HexView.of(big), HexView.of(d), HexView.of(d).limit(1_000_000), HexView.of(big).full())) {
            for (Object o : v.mimeBundle().values()) {
                int size = o.toString().getBytes(StandardCharsets.UTF_8).length;
                assertTrue(size <= 45_000, "output of " + size + " bytes");
            }
        }
        String full = (String) HexView.of(big).full().mimeBundle().get(MimeBundle.HTML);
        assertTrue(full.contains(" more bytes not shown (output limit 45 KB); bytes() has all 1000000"), full.substring(full.length() - 300));
        String folded = (String) HexView.of(big).mimeBundle().get(MimeBundle.HTML);
        assertTrue(folded.contains("... 999488 bytes not shown (0x00000180-0x000f41bf); HexView.full() shows all"), folded);
        assertEquals("f4230", offsets(folded).get(offsets(folded).size() - 1));
    }

    @Test
    void plainTextIsTheDumpXxdPrints() {
        // captured from: printf '\x81\x05Hello' | xxd
        assertEquals("00000000: 8105 4865 6c6c 6f                        ..Hello\n",
                HexView.of(Frames.hex("81 05 48 65 6c 6c 6f")).toString());
        // captured from: head -c 40 /dev/zero | tr '\0' 'A' | xxd
        assertEquals("""
                00000000: 4141 4141 4141 4141 4141 4141 4141 4141  AAAAAAAAAAAAAAAA
                00000010: 4141 4141 4141 4141 4141 4141 4141 4141  AAAAAAAAAAAAAAAA
                00000020: 4141 4141 4141 4141                      AAAAAAAA
                """, HexView.of("A".repeat(40).getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void plainTextMatchesXxdOnRandomBytes(@TempDir Path dir) throws Exception {
        Path xxd = Tools.require("xxd");
        byte[] b = new byte[777];
        new Random(3).nextBytes(b);
        Path f = dir.resolve("bytes.bin");
        Files.write(f, b);
        Process p = new ProcessBuilder(xxd.toString(), f.toString()).redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(expected, HexView.of(b).full().toString());
    }

    @Test
    void plainTextListsTheFieldsAfterTheDump() {
        String text = HexView.of(Frames.maskedHello()).toString();
        // captured from: printf '\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58' | xxd
        assertTrue(text.startsWith("00000000: 8185 37fa 213d 7f9f 4d51 58              ..7.!=..MQX\n\n"), text);
        assertTrue(text.contains("    2    4  websocket.masking_key"), text);
    }

    @Test
    void layersColourEachProtocolHeaderOnce() {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        try (org.wirelab.pcap.PcapWriter pcap = org.wirelab.pcap.PcapWriter.create(file).seed(7)) {
            pcap.tcp(new java.net.InetSocketAddress("127.0.0.1", 50000), new java.net.InetSocketAddress("127.0.0.1", 8080),
                    java.time.Instant.EPOCH).send(org.wirelab.wire.Direction.CLIENT_TO_SERVER,
                    "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), java.time.Instant.EPOCH);
        }
        // frames 1-3 are the handshake, frame 4 the request
        org.wirelab.dissect.Dissection packet = org.wirelab.dissect.Dissect.pcap(file.toByteArray()).packets().get(3);
        HexView layers = HexView.layers(packet);
        assertEquals(java.util.Set.of("eth", "ip", "tcp", "http"),
                layers.colours().keySet().stream().map(org.wirelab.dissect.Field::name).collect(java.util.stream.Collectors.toSet()));
        assertTrue(layers.toString().contains("http"), layers.toString());
    }

    @Test
    void layersGiveEveryByteTheOneHeaderItBelongsTo() {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        byte[] request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (org.wirelab.pcap.PcapWriter pcap = org.wirelab.pcap.PcapWriter.create(file).seed(7)) {
            pcap.tcp(new java.net.InetSocketAddress("127.0.0.1", 50000), new java.net.InetSocketAddress("127.0.0.1", 8080),
                    java.time.Instant.EPOCH).send(org.wirelab.wire.Direction.CLIENT_TO_SERVER, request, java.time.Instant.EPOCH);
        }
        org.wirelab.dissect.Dissection packet = org.wirelab.dissect.Dissect.pcap(file.toByteArray()).packets().get(3);
        java.util.Map<String, String> ranges = new java.util.HashMap<>();
        HexView.layers(packet).colours().keySet().forEach(f -> ranges.put(f.name(), HexView.range(f.offset(), f.length())));
        // Ethernet II 14 bytes, IPv4 header 20 (RFC 791), TCP header 20 without options (RFC 9293 §3.1), then the request
        int payload = 14 + 20 + 20;
        assertEquals(java.util.Map.of("eth", "0-13", "ip", "14-33", "tcp", "34-53",
                "http", payload + "-" + (payload + request.length - 1)), ranges);
        String html = HexView.layers(packet).html();
        assertFalse(html.contains("; tcp ="), "a byte owned by two layers: " + html);
    }

    @Test
    void layersShowAUdpPayloadAsItsOwnLayer() {
        // One UDP datagram "hello" from 127.0.0.1:46957 to 127.0.0.1:44317 as dumpcap wrote it on lo
        byte[] frame = java.util.HexFormat.of().parseHex("000000000000000000000000080045000021e1b140004011"
                + "5b187f0000017f000001b76dad1d000dfe2068656c6c6f");
        Dissection packet = new Dissection("frame", frame, List.of(
                Field.of("eth", 0, 14, "Ethernet II"), Field.of("ip", 14, 33, ""),
                new Field("udp", 34, 13, "", List.of(Field.of("udp.payload", 42, 5, "68:65:6c:6c:6f")))), List.of());
        java.util.Map<String, String> ranges = new java.util.HashMap<>();
        HexView.layers(packet).colours().keySet().forEach(f -> ranges.put(f.name(), HexView.range(f.offset(), f.length())));
        assertEquals(java.util.Map.of("eth", "0-13", "ip", "14-33", "udp", "34-41", "data", "42-46"), ranges);
    }

    @Test
    void layersCallAUdpPayloadDataEvenWhenItReadsLikeHttp() {
        // notebook 01 sends "GET / HTTP/1.1\r\nHost: any\r\n\r\n" to a UDP echo server: bytes, not an HTTP message
        byte[] request = "GET / HTTP/1.1\r\nHost: any\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] frame = new byte[42 + request.length];
        System.arraycopy(request, 0, frame, 42, request.length);
        Dissection packet = new Dissection("frame", frame, List.of(
                Field.of("eth", 0, 14, "Ethernet II"), Field.of("ip", 14, 28 + request.length, ""),
                new Field("udp", 34, 8 + request.length, "", List.of(Field.of("udp.payload", 42, request.length, "")))), List.of());
        java.util.Set<String> names = new java.util.HashSet<>();
        HexView.layers(packet).colours().keySet().forEach(f -> names.add(f.name()));
        assertEquals(java.util.Set.of("eth", "ip", "udp", "data"), names);
    }
}

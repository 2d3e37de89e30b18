package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated bytes into every dissector: nothing escapes, every byte is covered by a field
 * or a problem, every offset stays inside the input. 8 properties x 17,000 tries = 136,000 cases.
 */
class DissectPropertiesTest {

    static final int TRIES = 17_000;

    static final List<byte[]> WEBSOCKET = List.of(hex("810548656c6c6f"), hex("818537fa213d7f9f4d5158"),
            hex("010348656c80026c6f"), hex("890548656c6c6f"), hex("8a8537fa213d7f9f4d5158"), hex("880203e8"),
            concat(hex("827e0100"), new byte[256]), concat(hex("827f0000000000010000"), new byte[300]));

    static final List<byte[]> HTTP = List.of(
            ascii("GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"),
            ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n"),
            ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 204 No Content\r\n\r\n"),
            ascii("POST /f HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.0\r\n\r\n"),
            concat(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
                    hex("810548656c6c6f880203e8")),
            concat(ascii(SyntheticPcap.REQUEST), hex("818537fa213d7f9f4d5158")));

    /** HTTP/2: every frame type and HPACK (Http2DissectionTest), an upgrade request, RFC 7541 C.6 responses. */
    static final List<byte[]> HTTP2 = List.of(Http2DissectionTest.EVERY_TYPE,
            concat(ascii("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n"),
                    hex(Http2DissectionTest.MAGIC + "000000040000000000")),
            hex("000036010400000001" + "4882640258" + "85aec3771a4b" + "6196d07abe941054d444a8200595040b8166e082a62d1bff"
                    + "6e919d29ad171863c78f0b97c8e9ae82ae43d3"
                    + "000008010500000003" + "4883640effc1c0bf"),
            hex("00000c040000000000000300000064000400010000" + "000000040100000000" + "000004080000000000000f0001"));

    static final List<byte[]> PCAP = pcaps();

    private static List<byte[]> pcaps() {
        List<byte[]> out = new ArrayList<>();
        out.add(SyntheticPcap.httpExchange());
        for (String name : List.of("/captures/chromium-websocket.pcapng")) {
            try (InputStream in = DissectPropertiesTest.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new AssertionError("the seed capture " + name + " is missing from the test resources");
                }
                out.add(in.readAllBytes());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A valid input with a few bytes changed, cut short, spliced or repeated. */
    static Arbitrary<byte[]> mutated(List<byte[]> seeds) {
        Arbitrary<byte[]> seed = Arbitraries.of(seeds);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
        Arbitrary<Long> noise = Arbitraries.longs();
        return Combinators.combine(seed, kind, noise).as(DissectPropertiesTest::mutate);
    }

    static byte[] mutate(byte[] seed, int kind, long noise) {
        java.util.Random r = new java.util.Random(noise);
        byte[] b = seed.clone();
        switch (kind) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(4); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
            case 2 -> {
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                return out;
            }
            case 3 -> {
                return concat(b, java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)));
            }
            default -> {
                if (b.length > 0) {
                    int i = r.nextInt(b.length);
                    b[i] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
        }
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    }

    @Provide
    Arbitrary<byte[]> mutatedWebSocket() {
        return mutated(WEBSOCKET);
    }

    @Provide
    Arbitrary<byte[]> mutatedHttp() {
        return mutated(HTTP);
    }

    @Provide
    Arbitrary<byte[]> mutatedHttp2() {
        return mutated(HTTP2);
    }

    @Provide
    Arbitrary<byte[]> mutatedPcap() {
        return mutated(PCAP);
    }

    static void wellFormed(Dissection d, int size) {
        assertEquals(size, d.bytes().length);
        for (Field f : d.allFields()) {
            assertTrue(f.offset() >= 0 && f.end() <= size, () -> f + " outside " + size + " bytes");
        }
        for (Problem p : d.problems()) {
            assertTrue(p.offset() >= 0 && p.length() >= 0 && p.offset() + p.length() <= size,
                    () -> p + " outside " + size + " bytes");
            assertFalse(p.message().startsWith("could not dissect"), p::message);
        }
        assertEquals(List.of(), d.uncoveredBytes(), () -> "uncovered in\n" + d);
    }

    static void wellFormed(PacketCapture c, int size) {
        for (Problem p : c.problems()) {
            assertTrue(p.offset() >= 0 && p.offset() + p.length() <= size, p::toString);
            assertFalse(p.message().startsWith("could not dissect"), p::message);
        }
        c.packets().forEach(d -> wellFormed(d, d.bytes().length));
        for (TcpStream s : c.streams()) {
            wellFormed(s.dissection(), s.bytes().length);
            int total = s.segments().stream().mapToInt(TcpStream.Segment::length).sum();
            assertEquals(s.bytes().length, total);
        }
    }

    @Property(tries = TRIES)
    void websocketSurvivesRandomBytes(@ForAll("randomBytes") byte[] b) {
        wellFormed(Dissect.websocket(b), b.length);
    }

    @Property(tries = TRIES)
    void websocketSurvivesMutatedFrames(@ForAll("mutatedWebSocket") byte[] b) {
        wellFormed(Dissect.websocket(b), b.length);
    }

    @Property(tries = TRIES)
    void httpSurvivesRandomBytes(@ForAll("randomBytes") byte[] b) {
        wellFormed(Dissect.http(b), b.length);
    }

    @Property(tries = TRIES)
    void httpSurvivesMutatedMessages(@ForAll("mutatedHttp") byte[] b) {
        wellFormed(Dissect.http(b), b.length);
    }

    @Property(tries = TRIES)
    void http2SurvivesRandomBytes(@ForAll("randomBytes") byte[] b) {
        wellFormed(Dissect.http2(b), b.length);
        wellFormed(Dissect.http2(concat(hex(Http2DissectionTest.MAGIC), b)), b.length + 24);
    }

    @Property(tries = TRIES)
    void http2SurvivesMutatedFramesAndHpack(@ForAll("mutatedHttp2") byte[] b) {
        wellFormed(Dissect.http2(b), b.length);
    }

    @Property(tries = TRIES)
    void pcapSurvivesRandomBytes(@ForAll("randomBytes") byte[] b) {
        wellFormed(Dissect.pcap(b), b.length);
        wellFormed(Dissect.pcap(concat(hex("d4c3b2a102000400000000000000000000000400" + "01000000"), b)), b.length + 24);
    }

    @Property(tries = TRIES)
    void pcapSurvivesMutatedCaptures(@ForAll("mutatedPcap") byte[] b) {
        wellFormed(Dissect.pcap(b), b.length);
    }
}

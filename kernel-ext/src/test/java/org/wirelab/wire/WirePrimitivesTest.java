package org.wirelab.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WirePrimitivesTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void bigEndianReadsTakeTheFirstByteAsMostSignificant() {
        byte[] b = hex("1f90 1c2d3e4f");
        assertEquals(8080, Bytes.u16(b, 0));
        assertEquals(0x1c2d3e4fL, Bytes.u32(b, 2));
        assertEquals(0x901f, Bytes.u16le(b, 0));
        assertEquals(0x4f3e2d1cL, Bytes.u32le(b, 2));
    }

    @Test
    void ipv6TextFollowsRfc5952() {
        // RFC 5952 §4.2.1-§4.3 examples
        assertEquals("::1", Addresses.text(hex("0000 0000 0000 0000 0000 0000 0000 0001")));
        assertEquals("2001:db8::1", Addresses.text(hex("2001 0db8 0000 0000 0000 0000 0000 0001")));
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.text(hex("2001 0db8 0000 0001 0001 0001 0001 0001")));
        assertEquals("2001:0:0:1::1", Addresses.text(hex("2001 0000 0000 0001 0000 0000 0000 0001")));
        assertEquals("2001:db8::1:0:0:1", Addresses.text(hex("2001 0db8 0000 0000 0001 0000 0000 0001")));
        assertEquals("127.0.0.1", Addresses.text(hex("7f000001")));
        assertEquals("[::1]:8080", Addresses.text(new java.net.InetSocketAddress("::1", 8080)));
    }

    @Test
    void tcpFlagsAreListedInWiresharksOrder() {
        assertEquals("SYN", TcpFlags.text(hex("0002")[1]));
        assertEquals("SYN, ACK", TcpFlags.text(0x012));
        assertEquals("FIN, PSH, ACK", TcpFlags.text(0x019));
        assertEquals("reset", TcpFlags.filterName(2));
    }

    @Test
    void escapeWritesControlsAsTsharkDoes() {
        byte[] b = "GET /\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("GET /\\r\\n", Printable.escape(b, 0, b.length));
        assertEquals("\\x81\\x05Hi\\\\", Printable.escape(hex("8105 4869 5c"), 0, 5));
        assertEquals("\"a\\\"\"…", Printable.quoted("a\"b".getBytes(StandardCharsets.US_ASCII), 2));
        assertTrue(Printable.isText("hello\r\n".getBytes(StandardCharsets.US_ASCII), 7));
        assertFalse(Printable.isText(hex("8105 4869"), 4));
    }

    @Test
    void hexDumpShowsSixteenBytesARowWithTheirText() {
        byte[] b = "GET / HTTP/1.1\r\nHost".getBytes(StandardCharsets.US_ASCII);
        assertEquals("00000000: 4745 5420 2f20 4854 5450 2f31 2e31 0d0a  GET / HTTP/1.1..\n"
                + "00000010: 486f 7374                                Host\n", Hex.dump(b, 0, b.length));
        assertEquals("88:ca", Hex.colons(hex("88ca"), 0, 2));
        assertEquals("0x0800", Hex.number(0x0800, 4));
    }

    @Test
    void httpHeadIsFoundAndSniffed() {
        assertTrue(HttpHead.startsLikeHttp("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(HttpHead.startsLikeHttp("HTTP/1.1 101 Switching Protocols".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(HttpHead.startsLikeHttp(hex("810548656c6c6f")));
        byte[] up = "HTTP/1.1 101 OK\r\n\r\n\u0081\u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(19, HttpHead.endOfHead(up));
        assertEquals(-1, HttpHead.endOfHead("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aRecordClaimingFourGigabytesIsAProblemNotAnAllocation() {
        // pcap header (little endian, microseconds, Ethernet), then a record header claiming 0xffffffff bytes
        byte[] file = hex("d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000"
                + "00000000 00000000 ffffffff ffffffff" + "00".repeat(64));
        PcapReader r = PcapReader.of(new java.io.ByteArrayInputStream(file));
        assertFalse(r.hasNext());
        assertEquals("packet 1 claims 4294967295 captured bytes; a pcap record holds at most 262144 (the file is damaged"
                + " or not a capture)", r.problems().get(0).message());
        PcapReader known = PcapReader.of(file);
        assertFalse(known.hasNext());
        assertEquals("truncated: packet 1 records 4294967295 captured bytes, file has 64", known.problems().get(0).message());
    }

    @Test
    void readerStreamsRecordsOneByOne() {
        byte[] file = hex("d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000"
                + "01000000 02000000 02000000 3c000000 abcd"
                + "01000000 03000000 01000000 01000000 ef");
        PcapReader r = PcapReader.of(file);
        assertEquals("pcap little endian, microseconds", r.format());
        PcapReader.Record first = r.next();
        assertEquals(1, first.number());
        assertEquals("ab:cd", Hex.colons(first.data(), 0, 2));
        assertEquals(60, first.originalLength());
        assertEquals(java.util.Optional.of(java.time.Instant.ofEpochSecond(1, 2000)), first.time());
        assertEquals(2, r.next().number());
        assertFalse(r.hasNext());
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void pcapngSectionsMayChangeByteOrder() {
        byte[] file = hex("0a0d0d0a 1c000000 4d3c2b1a 01000000 ffffffffffffffff 1c000000"
                + "01000000 14000000 0100 0000 00000400 14000000"
                + "06000000 24000000 00000000 00000000 01000000 02000000 02000000 abcd0000 24000000"
                + "0a0d0d0a 0000001c 1a2b3c4d 00010000 ffffffffffffffff 0000001c"
                + "00000001 00000014 0001 0000 00040000 00000014"
                + "00000006 00000024 00000000 00000000 00000002 00000001 00000001 ef000000 00000024");
        PcapReader r = PcapReader.of(file);
        assertEquals("pcapng", r.format());
        PcapReader.Record first = r.next();
        assertEquals("ab:cd", Hex.colons(first.data(), 0, first.data().length));
        assertEquals(java.util.Optional.of(java.time.Instant.ofEpochSecond(0, 1000)), first.time());
        PcapReader.Record second = r.next();
        assertEquals(2, second.number());
        assertEquals("ef", Hex.colons(second.data(), 0, second.data().length));
        assertEquals(java.util.Optional.of(java.time.Instant.ofEpochSecond(0, 2000)), second.time());
        assertFalse(r.hasNext());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @Test
    void aSimplePacketBlockCarriesNoTime() {
        // SHB, IDB (Ethernet), then a Simple Packet Block (type 3) of 1 byte: original length, data, padding
        byte[] file = hex("0a0d0d0a 0000001c 1a2b3c4d 00010000 ffffffffffffffff 0000001c"
                + "00000001 00000014 0001 0000 00040000 00000014"
                + "00000003 00000014 00000001 ef000000 00000014");
        PcapReader r = PcapReader.of(file);
        PcapReader.Record spb = r.next();
        assertEquals("ef", Hex.colons(spb.data(), 0, spb.data().length));
        assertEquals(java.util.Optional.empty(), spb.time());
        assertFalse(r.hasNext());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }
}

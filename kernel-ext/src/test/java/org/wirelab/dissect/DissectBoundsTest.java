package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lengths claimed by the bytes are checked against the bytes present before anything is allocated. */
class DissectBoundsTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // Runs the dissection and checks this thread allocated under 4 MiB doing it (HotSpot's per-thread counter).
    private static <T> T allocatingLittle(java.util.function.Supplier<T> dissection) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        T result = dissection.get();
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
        return result;
    }

    @Test
    void webSocketFrameClaimingTwoToTheSixtyThirdBytesIsAProblem() {
        // FIN+binary, unmasked, 127: 64-bit length 0x8000000000000000, then 3 payload bytes
        byte[] frame = HexFormat.of().parseHex("827f8000000000000000" + "616263");
        WebSocketDissection d = allocatingLittle(() -> Dissect.websocket(frame));
        assertEquals(List.of(
                new Problem(2, 8, "payload length has its most significant bit set (RFC 6455 §5.2)"),
                new Problem(10, 3, "truncated: payload of 9223372036854775808 bytes, have 3")), d.problems());
    }

    @Test
    void httpContentLengthOfTenToTheEighteenthIsAProblem() {
        byte[] message = ascii("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000000000\r\n\r\nabc");
        assertEquals(List.of(new Problem(71, 3,
                "truncated: Content-Length 1000000000000000000 needs more bytes than the 3 present")),
                allocatingLittle(() -> Dissect.http(message)).problems());
    }

    @Test
    void chunkSizeOfFFFFFFFFFFFFIsAProblem() {
        byte[] message = ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\nabc");
        assertEquals(List.of(new Problem(47, 17,
                "truncated: chunk size FFFFFFFFFFFF claims 281474976710655 bytes, have 3 (RFC 9112 §7.1)")),
                allocatingLittle(() -> Dissect.http(message)).problems());
    }

    @Test
    void pcapPacketClaimingFourGigabytesIsAProblem() {
        // classic pcap, little-endian, v2.4, snaplen 262144, LINKTYPE_ETHERNET; one record header with incl_len 0xffffffff
        byte[] file = HexFormat.of().parseHex("d4c3b2a1" + "02000400" + "00000000" + "00000000" + "00000400" + "01000000"
                + "00000000" + "00000000" + "ffffffff" + "ffffffff" + "0102030405");
        assertEquals(List.of(new Problem(24, 21, "truncated: packet 1 records 4294967295 captured bytes, file has 5")),
                allocatingLittle(() -> Dissect.pcap(file)).problems());
        byte[] ng = HexFormat.of().parseHex(
                // Section Header Block, 28 bytes
                "0a0d0d0a" + "1c000000" + "4d3c2b1a" + "0100" + "0000" + "ffffffffffffffff" + "1c000000"
                // Interface Description Block, 20 bytes, LINKTYPE_ETHERNET
                + "01000000" + "14000000" + "0100" + "0000" + "00000400" + "14000000"
                // Enhanced Packet Block claiming 0xffffffff captured bytes in a 36-byte block
                + "06000000" + "24000000" + "00000000" + "00000000" + "00000000" + "ffffffff" + "ffffffff" + "01020304" + "24000000");
        assertEquals(List.of(new Problem(48, 36, "Enhanced Packet Block claims 4294967295 captured bytes in a block of 36")),
                allocatingLittle(() -> Dissect.pcap(ng)).problems());
    }
}

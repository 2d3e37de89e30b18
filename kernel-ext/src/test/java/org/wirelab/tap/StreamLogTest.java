package org.wirelab.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamLogTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // a direct buffer whose readable bytes start after a prefix, as Netty hands reads to the tap
    private static ByteBuf read(String prefix, String bytes) {
        ByteBuf b = Unpooled.directBuffer();
        b.writeBytes(ascii(prefix + bytes));
        b.readerIndex(prefix.length());
        return b;
    }

    @Test
    void keepsTheFirstAndLastBytesOfReadsInPiecesAndCountsEveryByte() {
        StreamLog log = new StreamLog(8);
        for (String piece : new String[] {"GET ", "/ HT", "TP/1", ".1\r\n"}) {
            ByteBuf b = read("xx", piece);
            log.append(b, b.readerIndex(), b.readableBytes());
            assertEquals(2, b.readerIndex(), "the tap's buffer is left for forwarding");
            b.release();
        }
        assertEquals(16, log.total());
        assertArrayEquals(ascii("GET "), log.headCopy());
        assertArrayEquals(ascii(".1\r\n"), log.tailCopy());
        assertEquals(4, log.dropFrom());
        assertEquals(12, log.dropTo());
    }

    @Test
    void oneReadLongerThanTheTailKeepsOnlyItsLastBytes() {
        StreamLog log = new StreamLog(8);
        ByteBuf b = read("zzz", "HTTP/1.1 200 OK\r\n");
        log.append(b, b.readerIndex(), b.readableBytes());
        b.release();
        assertEquals(17, log.total());
        assertArrayEquals(ascii("HTTP"), log.headCopy());
        assertArrayEquals(ascii("OK\r\n"), log.tailCopy());
    }

    @Test
    void theTailRingWrapsAcrossReads() {
        StreamLog log = new StreamLog(8);
        for (String piece : new String[] {"abcd", "ef", "gh", "ijk"}) {
            ByteBuf b = read("", piece);
            log.append(b, b.readerIndex(), b.readableBytes());
            b.release();
        }
        assertArrayEquals(ascii("abcd"), log.headCopy());
        assertArrayEquals(ascii("hijk"), log.tailCopy());
        assertEquals(11, log.total());
    }
}

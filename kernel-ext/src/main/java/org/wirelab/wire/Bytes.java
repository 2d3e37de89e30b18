package org.wirelab.wire;

/**
 * Unsigned numbers read out of a byte array in network byte order (big endian, RFC 1700's
 * "Data Notations"), and little endian where a file format says so (pcap written on x86).
 *
 * <pre>
 *   bytes 1f 90           u16 = 0x1f90 = 8080 (a TCP port)
 *   bytes 1c 2d 3e 4f     u32 = 0x1c2d3e4f (a TCP sequence number)
 * </pre>
 */
public final class Bytes {

    private Bytes() {
    }

    /** The byte at {@code i} as 0..255. */
    public static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    /** Two bytes, big endian, e.g. {@code 1f 90} is 8080. */
    public static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    /** Four bytes, big endian, as 0..2^32-1. */
    public static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    /** Two bytes, little endian. */
    public static int u16le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    /** Four bytes, little endian, as 0..2^32-1. */
    public static long u32le(byte[] b, int i) {
        return ((long) u16le(b, i + 2) << 16) | u16le(b, i);
    }

    /** Two bytes in the given order. */
    public static int u16(byte[] b, int i, boolean littleEndian) {
        return littleEndian ? u16le(b, i) : u16(b, i);
    }

    /** Four bytes in the given order. */
    public static long u32(byte[] b, int i, boolean littleEndian) {
        return littleEndian ? u32le(b, i) : u32(b, i);
    }

    /** Writes {@code v} as two bytes, big endian. */
    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Writes {@code v} as four bytes, big endian. */
    public static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }
}

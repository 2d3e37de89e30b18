package org.wirelab.dissect;

import java.nio.charset.StandardCharsets;

/** Reading numbers and text out of a byte array, as Wireshark prints them. */
final class Bytes {

    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static int u16le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    static long u32le(byte[] b, int i) {
        return ((long) u16le(b, i + 2) << 16) | u16le(b, i);
    }

    /** Colon-separated hex, the way tshark shows FT_BYTES: {@code 88:ca:18:70}. */
    static String colonHex(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder(len * 3);
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[off + i] & 0xf, 16));
        }
        return s.toString();
    }

    static String hex(byte[] b, int off, int len) {
        return colonHex(b, off, len).replace(":", "");
    }

    static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** Text with CR, LF and other controls written as tshark writes them: {@code GET / HTTP/1.1\r\n}. */
    static String escaped(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        s.append(String.format("\\x%02x", c));
                    } else {
                        s.append((char) c);
                    }
                }
            }
        }
        return s.toString();
    }

    static String hex0x(long v, int digits) {
        return String.format("0x%0" + digits + "x", v);
    }
}

package org.wirelab.tap;

import java.util.HexFormat;

/** Shows payload bytes as a reader wants them: escaped text when mostly ASCII, hex otherwise. */
final class Printable {

    private Printable() {
    }

    /** {@code GET / HTTP/1.1\r\n} for text, {@code 81 05 48 65 6c 6c 6f} for binary, cut at {@code max} bytes. */
    static String of(byte[] bytes, int max) {
        int n = Math.min(bytes.length, max);
        String body = isText(bytes, n) ? escaped(bytes, n) : hex(bytes, n);
        return n < bytes.length ? body + " … (" + (bytes.length - n) + " more bytes)" : body;
    }

    static boolean isText(byte[] bytes, int n) {
        if (n == 0) {
            return true;
        }
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if ((b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t') {
                printable++;
            }
        }
        return printable * 10 >= n * 9;
    }

    static String escaped(byte[] bytes, int n) {
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        out.append((char) b);
                    } else {
                        out.append("\\x").append(HexFormat.of().toHexDigits((byte) b));
                    }
                }
            }
        }
        return out.toString();
    }

    static String hex(byte[] bytes, int n) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n);
    }

    /** {@code 1023 MiB}, {@code 12.5 KiB}, {@code 78 B}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}

package org.wirelab.tap;

import org.wirelab.wire.Hex;
import org.wirelab.wire.Printable;

/** Payload bytes as a reader wants them in a log line: escaped text when mostly ASCII, hex otherwise. */
final class Preview {

    private Preview() {
    }

    /** {@code GET / HTTP/1.1\r\n} for text, {@code 81 05 48 65 6c 6c 6f} for binary, cut at {@code max} bytes. */
    static String of(byte[] bytes, int max) {
        int n = Math.min(bytes.length, max);
        String body = Printable.isText(bytes, n) ? Printable.escape(bytes, 0, n) : Hex.pairs(bytes, 0, n, " ");
        return n < bytes.length ? body + " … (" + (bytes.length - n) + " more bytes)" : body;
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

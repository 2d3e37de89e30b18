package org.wirelab.wire;

/**
 * Bytes as hex text: the pair list tshark shows for bytes fields ({@code 88:ca:18:70}), the
 * spaced pairs of a frame preview ({@code 81 05 48 65}), a {@code 0x}-number, and one
 * hex dump of sixteen bytes a row in the spirit of Netty's {@code ByteBufUtil.prettyHexDump}
 * and {@code xxd}:
 *
 * <pre>
 * 00000000: 4745 5420 2f20 4854 5450 2f31 2e31 0d0a  GET / HTTP/1.1..
 * </pre>
 */
public final class Hex {

    /** Bytes a row of {@link #dump}. */
    public static final int ROW = 16;

    private Hex() {
    }

    /** {@code len} bytes from {@code off} as hex pairs joined by {@code separator}, e.g. {@code "81 05"}. */
    public static String pairs(byte[] b, int off, int len, String separator) {
        StringBuilder s = new StringBuilder(len * (2 + separator.length()));
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                s.append(separator);
            }
            pair(s, b[off + i]);
        }
        return s.toString();
    }

    /** Colon-separated pairs, the way tshark shows bytes fields: {@code 88:ca:18:70}. */
    public static String colons(byte[] b, int off, int len) {
        return pairs(b, off, len, ":");
    }

    /** Space-separated pairs: {@code 81 05 48 65 6c 6c 6f}. */
    public static String spaced(byte[] b) {
        return pairs(b, 0, b.length, " ");
    }

    /** Pairs without a separator: {@code 810548}. */
    public static String plain(byte[] b, int off, int len) {
        return pairs(b, off, len, "");
    }

    /** {@code v} as {@code 0x} and {@code digits} lower-case hex digits, e.g. {@code 0x0800}. */
    public static String number(long v, int digits) {
        String h = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** Appends the two hex digits of {@code b} to {@code out}. */
    public static void pair(StringBuilder out, byte b) {
        out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }

    /**
     * A dump of {@code bytes[from, to)}: each row the offset (8 hex digits), sixteen bytes in groups
     * of two, then the bytes as text with {@link Printable#dot} for the unprintable ones.
     */
    public static String dump(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder();
        rows(bytes, from, to, to, out);
        return out.toString();
    }

    /**
     * The rows of a long dump that are shown: {@code [from, headEnd)} and {@code [tailStart, to)},
     * both starting on a row boundary counted from {@code from}; the bytes between are folded
     * into one line, as Wireshark folds a long value into "…".
     *
     * @param from first byte of the dump
     * @param headEnd end of the first rows shown
     * @param tailStart start of the last rows shown; equal to {@code headEnd} when nothing is folded
     * @param to end of the dump
     */
    public record Fold(int from, int headEnd, int tailStart, int to) {

        /** Whether some bytes are not shown. */
        public boolean folded() {
            return headEnd < tailStart;
        }

        /** Bytes not shown: {@code tailStart - headEnd}. */
        public int hidden() {
            return tailStart - headEnd;
        }

        /**
         * The fold line, e.g. {@code ... 1536 bytes not shown (0x00000100-0x000006ff); .full() shows all},
         * with {@code howToSeeAll} after the semicolon.
         */
        public String note(String howToSeeAll) {
            return "... " + hidden() + " bytes not shown (" + offset(headEnd) + "-" + offset(tailStart - 1) + "); " + howToSeeAll;
        }
    }

    /**
     * The fold rule of every hex dump: {@code [from, to)} whole when it holds at most
     * {@code maxBytes}; else {@code max(2, maxBytes / 16)} rows, the last quarter of them (at least
     * one) from the end and the rest from the start, so a reader sees how the bytes begin and end.
     */
    public static Fold fold(int from, int to, int maxBytes) {
        if (to - from <= maxBytes) {
            return new Fold(from, to, to, to);
        }
        int rows = Math.max(2, maxBytes / ROW);
        int tail = Math.max(1, rows / 4);
        int head = rows - tail;
        int lastRow = from + (to - from - 1) / ROW * ROW;
        return new Fold(from, from + head * ROW, lastRow - (tail - 1) * ROW, to);
    }

    /** A dump folded by {@code fold}: its first rows, the fold line ending in {@code howToSeeAll}, its last rows. */
    public static String dump(byte[] bytes, Fold fold, String howToSeeAll) {
        StringBuilder out = new StringBuilder();
        rows(bytes, fold.from(), fold.headEnd(), fold.to(), out);
        if (fold.folded()) {
            out.append(fold.note(howToSeeAll)).append('\n');
            rows(bytes, fold.tailStart(), fold.to(), fold.to(), out);
        }
        return out.toString();
    }

    /** {@code v} as the eight hex digits a dump row starts with, e.g. {@code 0x00000100}. */
    static String offset(int v) {
        return number(v, 8);
    }

    private static void rows(byte[] bytes, int from, int to, int end, StringBuilder out) {
        for (int row = from; row < to; row += ROW) {
            int stop = Math.min(row + ROW, end);
            String off = Integer.toHexString(row);
            out.append("0".repeat(Math.max(0, 8 - off.length()))).append(off).append(": ");
            int start = out.length();
            for (int i = row; i < stop; i++) {
                pair(out, bytes[i]);
                if ((i - row) % 2 == 1 && i + 1 < row + ROW) {
                    out.append(' ');
                }
            }
            out.append(" ".repeat(41 - (out.length() - start)));
            for (int i = row; i < stop; i++) {
                out.append(Printable.dot(bytes[i]));
            }
            out.append('\n');
        }
    }
}

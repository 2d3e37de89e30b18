package org.wirelab.wire;

/**
 * The one rule for showing bytes as text: printable ASCII ({@code 0x20..0x7e}) stands for itself;
 * CR, LF, TAB and backslash are written {@code \r \n \t \\}; every other byte is {@code \xNN}, as
 * tshark writes them in an HTTP line.
 *
 * <pre>
 *   47 45 54 20 2f 0d 0a     GET /\r\n
 *   81 05 48 69              \x81\x05Hi
 * </pre>
 */
public final class Printable {

    private Printable() {
    }

    /** Whether {@code b} is printable ASCII, 0x20..0x7e. */
    public static boolean ascii(int b) {
        int v = b & 0xff;
        return v >= 0x20 && v < 0x7f;
    }

    /** The byte as itself when printable, else {@code '.'}: the text column of a hex dump. */
    public static char dot(byte b) {
        return ascii(b) ? (char) (b & 0xff) : '.';
    }

    /**
     * Whether the first {@code n} bytes read as text: at least nine in ten printable ASCII, CR, LF
     * or TAB (an empty run counts as text).
     */
    public static boolean isText(byte[] bytes, int n) {
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (ascii(b) || b == '\r' || b == '\n' || b == '\t') {
                printable++;
            }
        }
        return printable * 10 >= n * 9;
    }

    /** {@code len} bytes from {@code off} escaped by the rule above, e.g. {@code GET / HTTP/1.1\r\n}. */
    public static String escape(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder(len + 8);
        escape(s, b, off, len, false);
        return s.toString();
    }

    /**
     * Up to {@code max} bytes escaped inside double quotes (a quote written {@code \"}), then
     * {@code …} after the closing quote when bytes were left out: {@code "GET / HTTP/1.1\r\nHost"…}.
     */
    public static String quoted(byte[] b, int max) {
        StringBuilder s = new StringBuilder("\"");
        escape(s, b, 0, Math.min(max, b.length), true);
        return s.append(b.length > max ? "\"…" : "\"").toString();
    }

    private static void escape(StringBuilder s, byte[] b, int off, int len, boolean quote) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (quote && c == '"') {
                        s.append("\\\"");
                    } else if (ascii(c)) {
                        s.append((char) c);
                    } else {
                        s.append("\\x");
                        Hex.pair(s, (byte) c);
                    }
                }
            }
        }
    }

    /** A string's CR, LF and TAB written {@code \r \n \t}, so that it stays on one line. */
    public static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}

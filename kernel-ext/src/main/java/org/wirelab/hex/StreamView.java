package org.wirelab.hex;

import org.wirelab.wire.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.wire.Direction;

/**
 * Both directions of one TCP conversation in time order, coloured as in Wireshark's "Follow TCP
 * Stream": client to server red, server to client blue. Text keeps its line breaks and shows
 * CR, LF and TAB as dimmed {@code \r \n \t} (glyphs such as ␍ are missing from many monospace
 * fonts); binary chunks are shown as hex.
 *
 * <pre>{@code
 * StreamView.newBuilder()
 *     .add(Direction.CLIENT_TO_SERVER, request, t0)
 *     .add(Direction.SERVER_TO_CLIENT, response, t1)
 *     .build()
 * }</pre>
 */
public final class StreamView implements Rich {

    /** Bytes shown before the "show all" cut by default: {@value}. */
    public static final int DEFAULT_LIMIT = 16 * 1024;
    private static final int TAIL_RESERVE = 2_000;
    private static final String TABLE_OPEN = "<table style=\"" + Palette.TABLE + "\">";

    private record Chunk(Direction dir, byte[] data, Instant time, int order) {
    }

    private final List<Chunk> chunks;
    private final int limit;

    private StreamView(List<Chunk> chunks, int limit) {
        this.chunks = chunks;
        this.limit = limit;
    }

    /** Starts an empty conversation. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * One connection a tap recorded, both directions in time order as in Wireshark's Follow TCP
     * Stream, e.g. {@code StreamView.of(tap.recording().connection(1))}.
     */
    public static StreamView of(org.wirelab.tap.Connection connection) {
        Builder b = newBuilder();
        for (org.wirelab.tap.TapEvent e : connection.events()) {
            if (e.kind() == org.wirelab.tap.TapEvent.Kind.DATA) {
                b.add(e.direction().orElseThrow(), e.bytes(), e.time());
            }
        }
        return b.build();
    }


    /** Collects the chunks of a conversation; order of {@code add} breaks ties in time. */
    public static final class Builder {
        private final List<Chunk> chunks = new ArrayList<>();
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /** Adds bytes that went {@code dir} at {@code time}, e.g. the 78-byte request at t0. */
        public Builder add(Direction dir, byte[] data, Instant time) {
            chunks.add(new Chunk(Objects.requireNonNull(dir, "dir"), data.clone(),
                    Objects.requireNonNull(time, "time"), chunks.size()));
            return this;
        }

        /** Bytes shown before the "show all" cut, e.g. {@code 4096}; default {@value StreamView#DEFAULT_LIMIT}. */
        public Builder limit(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("limit must be >= 1 byte, got " + bytes);
            }
            this.limit = bytes;
            return this;
        }

        /** The view, chunks sorted by time. */
        public StreamView build() {
            List<Chunk> sorted = new ArrayList<>(chunks);
            sorted.sort(Comparator.comparing(Chunk::time).thenComparingInt(Chunk::order));
            return new StreamView(List.copyOf(sorted), limit);
        }
    }

    /** Total bytes in {@code dir}, e.g. 78 for a small GET. */
    public long byteCount(Direction dir) {
        return chunks.stream().filter(c -> c.dir == dir).mapToLong(c -> c.data.length).sum();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }

    /** One header line per chunk ({@code >>} client to server, {@code <<} back), then its text or hex. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        long left = limit;
        int i = 0;
        for (; i < chunks.size() && left > 0; i++) {
            Chunk c = chunks.get(i);
            int n = (int) Math.min(c.data.length, Math.min(left, Budget.MAX_OUTPUT / 5));
            while (n < c.data.length && n > 1 && (c.data[n] & 0xc0) == 0x80) {
                n--;
            }
            if (out.length() > Budget.MAX_OUTPUT / 2) {
                break;
            }
            out.append(c.dir == Direction.CLIENT_TO_SERVER ? ">> " : "<< ").append(header(c)).append('\n');
            out.append(isText(c.data, n) ? text(c.data, n, false) : Hex.dump(c.data, 0, n));
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            left -= n;
            if (n < c.data.length) {
                out.append("... ").append(remaining(i, n)).append(" more bytes\n");
                return Budget.clipText(out.toString());
            }
        }
        if (i < chunks.size()) {
            out.append("... ").append(remaining(i, 0)).append(" more bytes\n");
        }
        return Budget.clipText(out.toString());
    }

    private long remaining(int chunk, int shownOfIt) {
        long r = chunks.get(chunk).data.length - shownOfIt;
        for (int k = chunk + 1; k < chunks.size(); k++) {
            r += chunks.get(k).data.length;
        }
        return r;
    }

    private String header(Chunk c) {
        Instant t0 = chunks.get(0).time;
        return c.dir + ", " + c.data.length + " bytes at +" + millis(Duration.between(t0, c.time));
    }

    /** {@code +12.345 ms}-style elapsed time. */
    static String millis(Duration d) {
        return String.format("%.3f ms", d.toNanos() / 1e6);
    }

    String html() {
        int budget = Budget.MAX_OUTPUT - TAIL_RESERVE;
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"wl-stream\" style=\"font-family:monospace\">");
        out.append("<div class=\"wl-meta\"><span style=\"background-color:").append(Palette.CLIENT)
                .append(";border-left:4px solid ").append(Palette.CLIENT_EDGE).append("\">&#160;client → server ")
                .append(byteCount(Direction.CLIENT_TO_SERVER)).append(" bytes&#160;</span> <span style=\"background-color:")
                .append(Palette.SERVER).append(";border-left:4px solid ").append(Palette.SERVER_EDGE)
                .append("\">&#160;server → client ").append(byteCount(Direction.SERVER_TO_CLIENT))
                .append(" bytes&#160;</span></div>");
        int used = Budget.size(out);
        long shownBytes = 0;
        long shownRest = 0;
        long total = chunks.stream().mapToLong(c -> c.data.length).sum();
        StringBuilder main = new StringBuilder(TABLE_OPEN);
        StringBuilder rest = new StringBuilder(TABLE_OPEN);
        boolean inRest = false;
        outer:
        for (Chunk c : chunks) {
            int from = 0;
            while (from < c.data.length) {
                long cap = inRest ? Long.MAX_VALUE : limit - shownBytes;
                if (cap <= 0) {
                    inRest = true;
                    continue;
                }
                int to = (int) Math.min(c.data.length, from + Math.min(cap, 4096));
                while (to < c.data.length && to > from + 1 && (c.data[to] & 0xc0) == 0x80) {
                    to--; // never split a UTF-8 sequence between two pieces
                }
                String piece = chunkRow(c, from, to);
                int size = Budget.size(piece);
                if (used + size > budget) {
                    break outer;
                }
                used += size;
                (inRest ? rest : main).append(piece);
                shownBytes += to - from;
                if (inRest) {
                    shownRest += to - from;
                }
                from = to;
            }
        }
        out.append(main).append("</table>");
        long notShown = total - shownBytes;
        if (shownRest > 0) {
            out.append("<details><summary>show all (").append(shownRest + notShown).append(" more bytes)</summary>")
                    .append(rest).append("</table></details>");
        }
        if (notShown > 0) {
            out.append("<div class=\"wl-more\">").append(notShown)
                    .append(" more bytes not shown (output limit ").append(Budget.MAX_OUTPUT / 1000).append(" KB)</div>");
        }
        out.append("</div>");
        return out.toString();
    }

    private String chunkRow(Chunk c, int from, int to) {
        boolean c2s = c.dir == Direction.CLIENT_TO_SERVER;
        String body;
        if (isText(c.data, c.data.length)) {
            body = text(c.data, from, to);
        } else {
            byte[] part = java.util.Arrays.copyOfRange(c.data, from, to);
            body = Html.escape(Hex.dump(part, 0, part.length));
        }
        String title = Html.escape(header(c) + (from > 0 || to < c.data.length ? ", bytes " + from + "-" + (to - 1) : ""));
        return "<tr><td class=\"wl-meta\" style=\"white-space:nowrap;" + Palette.CELL + "\">" + (from == 0 ? "+" + millis(Duration.between(chunks.get(0).time, c.time)) + "<br>" + (c2s ? "C→S " : "S→C ") + c.data.length + " B" : "")
                + "</td><td style=\"" + Palette.CELL + "\"><pre class=\"" + (c2s ? "wl-c2s" : "wl-s2c") + "\" title=\"" + title
                + "\" style=\"margin:0;white-space:pre-wrap;background-color:" + (c2s ? Palette.CLIENT : Palette.SERVER)
                + ";border-left:4px solid " + (c2s ? Palette.CLIENT_EDGE : Palette.SERVER_EDGE) + "\">" + body + "</pre></td></tr>";
    }

    /** Text when the bytes are UTF-8 without control characters other than CR, LF and TAB. */
    static boolean isText(byte[] data, int n) {
        for (int i = 0; i < n; i++) {
            int v = data[i] & 0xff;
            if ((v < 0x20 && v != '\r' && v != '\n' && v != '\t') || v == 0x7f) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, 0, n));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Escaped HTML of text bytes {@code [from, to)}: CR as {@code \r}, LF as {@code \n} plus a line break, TAB as {@code \t}. */
    private static String text(byte[] data, int from, int to) {
        return render(new String(data, from, to - from, StandardCharsets.UTF_8), true);
    }

    private static String text(byte[] data, int n, boolean html) {
        return render(new String(data, 0, n, StandardCharsets.UTF_8), html);
    }

    private static String render(String s, boolean html) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        String open = html ? "<span class=\"wl-esc\" style=\"opacity:0.6\">" : "";
        String close = html ? "</span>" : "";
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\r' -> out.append(open).append("\\r").append(close);
                case '\n' -> out.append(open).append("\\n").append(close).append('\n');
                case '\t' -> out.append(open).append("\\t").append(close);
                case '<' -> out.append(html ? "&lt;" : "<");
                case '>' -> out.append(html ? "&gt;" : ">");
                case '&' -> out.append(html ? "&amp;" : "&");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}

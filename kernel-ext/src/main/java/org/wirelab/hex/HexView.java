package org.wirelab.hex;

import org.wirelab.wire.Printable;
import org.wirelab.wire.Hex;
import org.wirelab.wire.HttpHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.dissect.Problem;

/**
 * Annotated hex dump, as in Wireshark's bytes pane: offset, 16 bytes of hex, their ASCII, each
 * field's bytes coloured (a byte takes the colour of its innermost field), a legend of field
 * names (Wireshark display-filter names) and values, and regions that did not parse marked red
 * with their message. Hovering a byte names its field and value.
 *
 * <pre>{@code
 * HexView.of(frame)                 // a Dissection, e.g. 81 05 48 65 6c 6c 6f
 * HexView.of(bytes).limit(256)      // raw bytes; past 256 bytes, its first and last rows
 * }</pre>
 */
public final class HexView implements Rich {

    /** Bytes shown at most before a long payload is folded, by default: {@value}. */
    public static final int DEFAULT_LIMIT = 512;
    /** What the fold line tells a reader to call to see every byte. */
    static final String SEE_ALL = ".full() shows all";
    private static final int ROW = 16;
    private static final int VALUE_CHARS = 80;
    private static final int TAIL_RESERVE = 4_000;
    /** Bytes a full view lays out at most: 512 rows, more than {@link Budget#MAX_OUTPUT} holds in either form. */
    private static final int FULL_SPAN = 8 * 1024;

    private final byte[] bytes;
    private final Dissection dissection;
    /** Bytes shown before folding; {@link Integer#MAX_VALUE} for {@link #full()}. */
    private final int limit;

    private HexView(byte[] bytes, Dissection dissection, int limit) {
        this.bytes = bytes;
        this.dissection = dissection;
        this.limit = limit;
    }

    /** A view of a dissection's bytes coloured by its fields. */
    public static HexView of(Dissection dissection) {
        Objects.requireNonNull(dissection, "dissection");
        return new HexView(dissection.bytes(), dissection, DEFAULT_LIMIT);
    }

    /**
     * A view of a packet coloured by protocol layer only: each top-level field (eth, ip, tcp or
     * udp, then the payload as http (over TCP only) or data) is one colour, so the headers each layer adds stand out, e.g.
     * {@code HexView.layers(capture.dissect().packets().get(3))}.
     */
    public static HexView layers(Dissection packet) {
        Objects.requireNonNull(packet, "packet");
        List<Field> layers = new java.util.ArrayList<>(packet.fields().stream()
                .map(f -> new Field(f.name(), f.offset(), f.length(), f.value(), List.of())).toList());
        // The payload is its own layer: HTTP when a TCP payload reads as HTTP, else plain data.
        // HTTP/1.x rides on a byte stream, so a UDP datagram that starts "GET / HTTP/1.1" is data.
        packet.field("tcp.payload").or(() -> packet.field("udp.payload")).ifPresent(p -> {
            byte[] payload = java.util.Arrays.copyOfRange(packet.bytes(), p.offset(), p.end());
            boolean http = p.name().equals("tcp.payload") && HttpHead.startsLikeHttp(payload);
            layers.add(new Field(http ? "http" : "data", p.offset(), p.length(), p.length() + " bytes", List.of()));
        });
        // An IP or TCP field spans its whole payload; as a layer it ends where the next layer starts,
        // so every byte shows the one header (or payload) it belongs to.
        layers.sort(java.util.Comparator.comparingInt(Field::offset));
        for (int i = 0; i + 1 < layers.size(); i++) {
            Field f = layers.get(i);
            int end = Math.min(f.end(), Math.max(f.offset(), layers.get(i + 1).offset()));
            String value = f.value().isEmpty() ? (end - f.offset()) + " bytes" : f.value();
            layers.set(i, new Field(f.name(), f.offset(), end - f.offset(), value, List.of()));
        }
        return of(new Dissection(packet.protocol(), packet.bytes(), layers, packet.problems()));
    }

    /** A plain view of {@code bytes}, without fields. */
    public static HexView of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new HexView(bytes.clone(), null, DEFAULT_LIMIT);
    }

    /**
     * The same view folded to {@code n} rows of 16 bytes when the bytes need more, e.g.
     * {@code rows(4)}: the first three quarters of them from the start, the rest from the end;
     * default 32.
     */
    public HexView rows(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + n);
        }
        return limit(n * ROW);
    }

    /**
     * The same view folded to about {@code n} bytes when the bytes are longer, e.g.
     * {@code limit(256)}: whole rows, at least two (the first and the last), three quarters of them
     * from the start and a quarter from the end, and one line between saying how many bytes are not
     * shown; default {@value #DEFAULT_LIMIT}. The rule is {@link Hex#fold}'s.
     */
    public HexView limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be >= 1 byte, got " + n);
        }
        return new HexView(bytes, dissection, n);
    }

    /**
     * The same view without folding: every byte, up to the output limit of one notebook output
     * (about 40 KB of HTML); past that {@link #bytes()} has them all.
     */
    public HexView full() {
        return new HexView(bytes, dissection, Integer.MAX_VALUE);
    }

    /** Which rows are shown: all of them, or the first and last around a fold. */
    Hex.Fold fold() {
        return Hex.fold(0, bytes.length, limit);
    }

    /**
     * The rows laid out: {@link #fold()}'s, except that a {@link #full()} view stops after
     * {@value #FULL_SPAN} bytes, more than one output can hold, so that a 1 MiB payload costs no
     * more than a 8 KiB one.
     */
    private Hex.Fold laidOut() {
        Hex.Fold f = fold();
        return f.to() > FULL_SPAN && !f.folded() ? new Hex.Fold(0, FULL_SPAN, FULL_SPAN, FULL_SPAN) : f;
    }

    /** The text dump, folded or (for {@link #full()}) cut at the output limit with a line saying so. */
    String dump(String view) {
        Hex.Fold f = laidOut();
        String out = Hex.dump(bytes, f, view + SEE_ALL);
        return f.to() < bytes.length ? out + "... " + (bytes.length - f.to()) + " more bytes not shown (output limit "
                + Budget.MAX_OUTPUT / 1000 + " KB); bytes() has all " + bytes.length + "\n" : out;
    }

    /** The colour index of every field that owns bytes, as the legend shows it. */
    Map<Field, Integer> colours() {
        return new Layout(Hex.fold(0, 0, 0)).colour;
    }

    /** A copy of the bytes shown. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as lower-case hex pairs, e.g. {@code "81 05 48 65 6c 6c 6f"}. */
    public String hex() {
        return Hex.spaced(bytes);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }

    /**
     * An {@code xxd}-style dump, folded past the {@link #limit(int) limit} to its first and last
     * rows with one line between, then the field list.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(dump("HexView"));
        if (dissection != null && !(dissection.fields().isEmpty() && dissection.problems().isEmpty())) {
            out.append('\n').append(dissection);
        }
        return Budget.clipText(out.toString());
    }

    /** The HTML form; at most {@link Budget#MAX_OUTPUT} bytes whatever the input size. */
    String html() {
        return html(Budget.MAX_OUTPUT, true);
    }

    /**
     * The HTML form in at most {@code max} bytes: the rows {@link #fold()} shows, a fold line
     * between them, then the legend of fields when {@code legend} is set.
     */
    String html(int max, boolean withLegend) {
        Hex.Fold fold = laidOut();
        Layout layout = new Layout(fold);
        StringBuilder legend = withLegend ? legend(layout, max / 4) : problems(new StringBuilder(), max / 4);
        int budget = max - Budget.size(legend) - TAIL_RESERVE;

        StringBuilder out = new StringBuilder(4096);
        out.append("<div class=\"wl-hex\" style=\"font-family:monospace\">");
        out.append("<table class=\"wl-rows\" style=\"" + Palette.TABLE + "\">");
        int used = 0;
        int row = 0;
        for (; row < fold.headEnd(); row += ROW) {
            String r = row(layout, row, Math.min(row + ROW, fold.to()));
            used += Budget.size(r);
            if (used > budget) {
                break;
            }
            out.append(r);
        }
        boolean cut = row < fold.headEnd() || !fold.folded() && row < bytes.length;
        if (!cut && fold.folded()) {
            out.append("<tr><td class=\"wl-more\" colspan=\"3\" style=\"").append(Palette.CELL).append("\">")
                    .append(Html.escape(fold.note("HexView" + SEE_ALL))).append("</td></tr>");
            for (row = fold.tailStart(); row < fold.to(); row += ROW) {
                String r = row(layout, row, Math.min(row + ROW, fold.to()));
                out.append(r);
            }
        }
        out.append("</table>");
        if (cut) {
            out.append("<div class=\"wl-more\">").append(bytes.length - row)
                    .append(" more bytes not shown (output limit ").append(Budget.MAX_OUTPUT / 1000)
                    .append(" KB); bytes() has all ").append(bytes.length).append("</div>");
        }
        out.append(legend);
        out.append("</div>");
        return out.toString();
    }

    private String row(Layout layout, int from, int to) {
        StringBuilder hex = new StringBuilder();
        StringBuilder ascii = new StringBuilder();
        int i = from;
        while (i < to) {
            int j = i + 1;
            while (j < to && layout.sameRun(i, j)) {
                j++;
            }
            String open = layout.open(i);
            if (i > from) {
                hex.append(i - from == ROW / 2 ? "  " : " ");
            }
            hex.append(open);
            // the title once a run, on the hex pairs
            ascii.append(open.isEmpty() ? open : open.substring(0, open.indexOf(" title=")) + ">");
            for (int k = i; k < j; k++) {
                if (k > i) {
                    hex.append(k - from == ROW / 2 ? "  " : " ");
                }
                Hex.pair(hex, bytes[k]);
                ascii.append(Html.escape(String.valueOf(Printable.dot(bytes[k]))));
            }
            if (!open.isEmpty()) {
                hex.append("</span>");
                ascii.append("</span>");
            }
            i = j;
        }
        String pre = " style=\"white-space:pre;" + Palette.CELL + "\">";
        return "<tr><td class=\"wl-off\"" + pre + offset(from)
                + "</td><td class=\"wl-hexcol\"" + pre + hex
                + "</td><td class=\"wl-ascii\"" + pre + ascii + "</td></tr>";
    }

    /** Offsets as hex, at least four digits: {@code 0010}, {@code 1fff0}. */
    private static String offset(int from) {
        String h = Integer.toHexString(from);
        return "0".repeat(Math.max(0, 4 - h.length())) + h;
    }

    private StringBuilder legend(Layout layout, int budget) {
        StringBuilder out = new StringBuilder();
        if (!layout.owners.isEmpty()) {
            String th = "<th style=\"" + Palette.CELL + "\">";
            out.append("<table class=\"wl-legend\" style=\"" + Palette.TABLE + "\"><tr>").append(th).append("</th>")
                    .append(th).append("field</th>").append(th).append("value</th>").append(th).append("bytes</th></tr>");
            int listed = 0;
            for (Field f : layout.owners) {
                String td = "<td style=\"" + Palette.CELL + "\">";
                String r = "<tr>" + td + "<span class=\"wl-swatch wl-f" + layout.colour.get(f) + "\" style=\""
                        + Palette.fieldStyle(layout.colour.get(f)) + "\">&#160;&#160;&#160;</span></td>" + td + "<code>"
                        + Html.escape(f.name()) + "</code></td>" + td + Html.escape(shorten(f.value()))
                        + "</td>" + td + range(f.offset(), f.length()) + "</td></tr>";
                if (Budget.size(out) + Budget.size(r) > budget) {
                    break;
                }
                out.append(r);
                listed++;
            }
            out.append("</table>");
            if (listed < layout.owners.size()) {
                out.append("<div class=\"wl-more\">").append(layout.owners.size() - listed).append(" more fields</div>");
            }
        }
        return problems(out, budget);
    }

    /** The problem list after {@code out}: each region that did not parse, with its message. */
    private StringBuilder problems(StringBuilder out, int budget) {
        List<Problem> problems = dissection == null ? List.of() : dissection.problems();
        if (!problems.isEmpty()) {
            out.append("<ul class=\"wl-problems\" style=\"color:#e00000\">");
            int listed = 0;
            for (Problem p : problems) {
                String r = "<li><span class=\"wl-problem\" style=\"" + Palette.problemStyle() + "\">"
                        + range(p.offset(), p.length()) + "</span> " + Html.escape(shorten(p.message())) + "</li>";
                if (Budget.size(out) + Budget.size(r) > 3 * budget / 2) {
                    break;
                }
                out.append(r);
                listed++;
            }
            out.append("</ul>");
            if (listed < problems.size()) {
                out.append("<div class=\"wl-more\">").append(problems.size() - listed).append(" more problems</div>");
            }
        }
        return out;
    }

    static String range(int offset, int length) {
        if (length == 0) {
            return "at " + offset;
        }
        return length == 1 ? String.valueOf(offset) : offset + "-" + (offset + length - 1);
    }

    static String shorten(String s) {
        return s.length() <= VALUE_CHARS ? s : s.substring(0, VALUE_CHARS - 1) + "…";
    }

    /**
     * Which fields and problems own each shown byte, the colour of each field that owns bytes
     * anywhere, and each field's hover id ({@code wl-h<i>}, {@code i} its pre-order index), which
     * the message view's tree repeats so that {@link org.wirelab.display.WirelabCss} can outline a
     * field's bytes while the reader points at its tree line.
     */
    private final class Layout {
        final Hex.Fold fold;
        final int[] key;
        final List<List<Field>> keys = new ArrayList<>();
        final List<Problem> problemOf = new ArrayList<>();
        final List<Field> owners = new ArrayList<>();
        final Map<Field, Integer> colour = new HashMap<>();
        final Map<Field, Integer> hoverId = new java.util.IdentityHashMap<>();
        final Map<Field, Field> parent = new java.util.IdentityHashMap<>();
        private final String[] opens;

        Layout(Hex.Fold fold) {
            this.fold = fold;
            int shown = fold.headEnd() + (fold.to() - fold.tailStart());
            key = new int[shown];
            List<List<Field>> own = new ArrayList<>(shown);
            Problem[] problem = new Problem[shown];
            for (int i = 0; i < shown; i++) {
                own.add(null);
            }
            if (dissection != null) {
                for (Field f : dissection.fields()) {
                    index(f, null);
                }
                for (Field f : dissection.allFields()) {
                    if (ownsBytes(f) && !colour.containsKey(f)) {
                        colour.put(f, owners.size());
                        owners.add(f);
                    }
                    for (int[] r : shownRanges(f.offset(), f.end())) {
                        for (int i = r[0]; i < r[1]; i++) {
                            if (!childCovers(f, i)) {
                                int x = slot(i);
                                if (own.get(x) == null) {
                                    own.set(x, new ArrayList<>(1));
                                }
                                own.get(x).add(f);
                            }
                        }
                    }
                }
                for (Problem p : dissection.problems()) {
                    for (int[] r : shownRanges(p.offset(), p.offset() + p.length())) {
                        for (int i = r[0]; i < r[1]; i++) {
                            if (problem[slot(i)] == null) {
                                problem[slot(i)] = p;
                            }
                        }
                    }
                }
            }
            Map<List<Object>, Integer> ids = new LinkedHashMap<>();
            for (int x = 0; x < shown; x++) {
                List<Field> fs = own.get(x) == null ? List.of() : own.get(x);
                List<Object> k = List.of(identity(fs), problem[x] == null ? "" : System.identityHashCode(problem[x]));
                Integer id = ids.get(k);
                if (id == null) {
                    id = keys.size();
                    ids.put(k, id);
                    keys.add(fs);
                    problemOf.add(problem[x]);
                }
                key[x] = id;
            }
            opens = new String[keys.size()];
        }

        private void index(Field f, Field up) {
            hoverId.put(f, hoverId.size());
            if (up != null) {
                parent.put(f, up);
            }
            f.children().forEach(c -> index(c, f));
        }

        /** Where byte {@code i} (a shown byte) sits in {@link #key}. */
        private int slot(int i) {
            return i < fold.headEnd() ? i : fold.headEnd() + (i - fold.tailStart());
        }

        /** The parts of {@code [from, to)} that are shown. */
        private List<int[]> shownRanges(int from, int to) {
            List<int[]> out = new ArrayList<>(2);
            int a = Math.max(0, from);
            int b = Math.min(fold.headEnd(), to);
            if (a < b) {
                out.add(new int[] {a, b});
            }
            a = Math.max(fold.tailStart(), from);
            b = Math.min(fold.to(), to);
            if (a < b) {
                out.add(new int[] {a, b});
            }
            return out;
        }

        /** Whether some byte of {@code f} (within the bytes) lies outside all of its children. */
        private boolean ownsBytes(Field f) {
            int from = Math.max(0, f.offset());
            int to = Math.min(bytes.length, f.end());
            List<Field> kids = new ArrayList<>(f.children());
            kids.sort(java.util.Comparator.comparingInt(Field::offset));
            int at = from;
            for (Field c : kids) {
                if (c.offset() > at) {
                    break;
                }
                at = Math.max(at, c.end());
            }
            return at < to;
        }

        private List<Integer> identity(List<Field> fs) {
            List<Integer> out = new ArrayList<>(fs.size());
            for (Field f : fs) {
                out.add(hoverId.get(f));
            }
            return out;
        }

        private boolean childCovers(Field f, int i) {
            for (Field c : f.children()) {
                if (i >= c.offset() && i < c.end()) {
                    return true;
                }
            }
            return false;
        }

        boolean sameRun(int i, int j) {
            return key[slot(i)] == key[slot(j)];
        }

        /** The opening span of byte {@code i}'s run, or "" for bytes of no field. */
        String open(int i) {
            int k = key[slot(i)];
            if (opens[k] == null) {
                opens[k] = openTag(keys.get(k), problemOf.get(k));
            }
            return opens[k];
        }

        /** The hover classes of a run: each owning field and each of its ancestors, e.g. {@code " wl-h3 wl-h1"}. */
        private String hoverClasses(List<Field> fs) {
            java.util.Set<Integer> seen = new java.util.LinkedHashSet<>();
            for (Field f : fs) {
                for (Field a = f; a != null; a = parent.get(a)) {
                    Integer id = hoverId.get(a);
                    if (id != null && id < org.wirelab.display.WirelabCss.HOVER_FIELDS) {
                        seen.add(id);
                    }
                }
            }
            StringBuilder out = new StringBuilder();
            seen.forEach(id -> out.append(" wl-h").append(id));
            return out.toString();
        }

        private String openTag(List<Field> fs, Problem p) {
            if (fs.isEmpty() && p == null) {
                return "";
            }
            StringBuilder title = new StringBuilder();
            for (Field f : fs) {
                if (title.length() > 0) {
                    title.append("; ");
                }
                title.append(f.name()).append(" = ").append(shorten(f.value()))
                        .append(" (bytes ").append(range(f.offset(), f.length())).append(')');
            }
            String cls;
            String style;
            if (p != null) {
                if (title.length() > 0) {
                    title.append("; ");
                }
                title.append("problem: ").append(shorten(p.message()));
                cls = "wl-b wl-problem";
                style = Palette.problemStyle();
            } else {
                int c = colour.get(fs.get(0));
                cls = "wl-b wl-f" + c;
                style = Palette.fieldStyle(c);
            }
            return "<span class=\"" + cls + hoverClasses(fs) + "\" style=\"" + style + "\" title=\"" + Html.escape(title) + "\">";
        }
    }
}

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
 * HexView.of(bytes).limit(256)      // raw bytes, first 256 shown, the rest behind "show all"
 * }</pre>
 */
public final class HexView implements Rich {

    /** Bytes shown before the "show all" cut by default: {@value}. */
    public static final int DEFAULT_LIMIT = 1024;
    private static final int ROW = 16;
    private static final int VALUE_CHARS = 80;
    private static final int TAIL_RESERVE = 4_000;
    /** Bytes laid out at most; a row costs over 100 bytes of HTML, so the cap stops far earlier. */
    private static final int LAYOUT_SPAN = 64 * 1024;
    /** Bytes dumped as text at most: 2048 lines of 68 characters. */
    private static final int TEXT_SPAN = 32 * 1024;

    private final byte[] bytes;
    private final Dissection dissection;
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

    /** The same view showing {@code n} rows of 16 bytes before the cut, e.g. {@code rows(4)}; default 64. */
    public HexView rows(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + n);
        }
        return limit(n * ROW);
    }

    /**
     * The same view showing {@code n} bytes before the cut (whole rows in HTML, so rounded down
     * to a multiple of 16, at least one row), e.g. {@code limit(256)}; default {@value #DEFAULT_LIMIT}.
     */
    public HexView limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be >= 1 byte, got " + n);
        }
        return new HexView(bytes, dissection, n);
    }

    /** The colour index of every field that owns bytes, as the legend shows it. */
    Map<Field, Integer> colours() {
        return new Layout().colour;
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

    /** An {@code xxd}-style dump of the first {@link #limit(int) limit} bytes, then the field list. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(bytes.length, Math.min(limit, TEXT_SPAN));
        out.append(Hex.dump(bytes, 0, shown));
        if (shown < bytes.length) {
            out.append("... ").append(bytes.length - shown).append(" more bytes\n");
        }
        if (dissection != null && !(dissection.fields().isEmpty() && dissection.problems().isEmpty())) {
            out.append('\n').append(dissection);
        }
        return Budget.clipText(out.toString());
    }

    /** The HTML form; at most {@link Budget#MAX_OUTPUT} bytes whatever the input size. */
    String html() {
        return html(Budget.MAX_OUTPUT);
    }

    /** The HTML form in at most {@code max} bytes (at least 60 KB). */
    String html(int max) {
        Layout layout = new Layout();
        StringBuilder legend = legend(layout, max / 4);
        int budget = max - Budget.size(legend) - TAIL_RESERVE;

        StringBuilder out = new StringBuilder(4096);
        out.append("<div class=\"wl-hex\" style=\"font-family:monospace\">");
        int shown = Math.min(bytes.length, Math.max(ROW, limit - limit % ROW));
        int used = 0;
        int row = 0;
        out.append("<table class=\"wl-rows\" style=\"" + Palette.TABLE + "\">");
        for (; row < shown && row < layout.span; row += ROW) {
            String r = row(layout, row, Math.min(row + ROW, shown));
            used += Budget.size(r);
            if (used > budget) {
                break;
            }
            out.append(r);
        }
        out.append("</table>");
        int printed = Math.min(row, shown);
        if (printed == shown && shown < bytes.length) {
            StringBuilder rest = new StringBuilder();
            for (; row < layout.span; row += ROW) {
                String r = row(layout, row, Math.min(row + ROW, layout.span));
                used += Budget.size(r);
                if (used > budget) {
                    break;
                }
                rest.append(r);
            }
            int more = bytes.length - printed;
            out.append("<details><summary>show all (").append(more).append(" more bytes)</summary>")
                    .append("<table class=\"wl-rows\" style=\"" + Palette.TABLE + "\">").append(rest).append("</table></details>");
            printed = Math.min(row, bytes.length);
        }
        if (printed < bytes.length) {
            out.append("<div class=\"wl-more\">").append(bytes.length - printed)
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
            while (j < to && layout.sameRun(i, j) && j - from != ROW / 2) {
                j++;
            }
            String open = layout.open(i);
            if (i > from) {
                hex.append(i - from == ROW / 2 ? "  " : " ");
            }
            hex.append(open);
            ascii.append(open);
            for (int k = i; k < j; k++) {
                if (k > i) {
                    hex.append(' ');
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
        return "<tr><td class=\"wl-off\"" + pre + String.format("%04x", from)
                + "</td><td class=\"wl-hexcol\"" + pre + hex
                + "</td><td class=\"wl-ascii\"" + pre + ascii + "</td></tr>";
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

    /** Which fields and problems own each byte, and the colour of each owning field. */
    private final class Layout {
        final int span = Math.min(bytes.length, LAYOUT_SPAN);
        final int[] key = new int[span];
        final List<List<Field>> keys = new ArrayList<>();
        final List<Problem> problemOf = new ArrayList<>();
        final List<Field> owners = new ArrayList<>();
        final Map<Field, Integer> colour = new HashMap<>();
        private final String[] opens;

        Layout() {
            List<List<Field>> own = new ArrayList<>(span);
            Problem[] problem = new Problem[span];
            for (int i = 0; i < span; i++) {
                own.add(null);
            }
            if (dissection != null) {
                for (Field f : dissection.allFields()) {
                    for (int i = Math.max(0, f.offset()); i < Math.min(span, f.end()); i++) {
                        if (!childCovers(f, i)) {
                            if (own.get(i) == null) {
                                own.set(i, new ArrayList<>(1));
                            }
                            own.get(i).add(f);
                            if (!colour.containsKey(f)) {
                                colour.put(f, owners.size());
                                owners.add(f);
                            }
                        }
                    }
                }
                for (Problem p : dissection.problems()) {
                    for (int i = Math.max(0, p.offset()); i < Math.min(span, p.offset() + p.length()); i++) {
                        if (problem[i] == null) {
                            problem[i] = p;
                        }
                    }
                }
            }
            Map<List<Object>, Integer> ids = new LinkedHashMap<>();
            for (int i = 0; i < span; i++) {
                List<Field> fs = own.get(i) == null ? List.of() : own.get(i);
                List<Object> k = List.of(identity(fs), problem[i] == null ? "" : System.identityHashCode(problem[i]));
                Integer id = ids.get(k);
                if (id == null) {
                    id = keys.size();
                    ids.put(k, id);
                    keys.add(fs);
                    problemOf.add(problem[i]);
                }
                key[i] = id;
            }
            opens = new String[keys.size()];
        }

        private List<Integer> identity(List<Field> fs) {
            List<Integer> out = new ArrayList<>(fs.size());
            for (Field f : fs) {
                out.add(colour.get(f));
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
            return key[i] == key[j];
        }

        /** The opening span of byte {@code i}'s run, or "" for bytes of no field. */
        String open(int i) {
            int k = key[i];
            if (opens[k] == null) {
                opens[k] = openTag(keys.get(k), problemOf.get(k));
            }
            return opens[k];
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
            return "<span class=\"" + cls + "\" style=\"" + style + "\" title=\"" + Html.escape(title) + "\">";
        }
    }
}

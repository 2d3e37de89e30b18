package org.wirelab.dissect;

import org.wirelab.wire.Printable;
import org.wirelab.wire.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * Bytes together with the fields found in them and the regions that did not parse.
 *
 * <p>Every dissector returns one; it never throws on bad input. The fields' offsets count from
 * the first byte of {@link #bytes()}.
 */
public class Dissection implements Rich {

    private final String protocol;
    private final byte[] bytes;
    private final List<Field> fields;
    private final List<Problem> problems;

    /** A dissection of {@code bytes} by {@code protocol}, e.g. {@code "websocket"}. */
    public Dissection(String protocol, byte[] bytes, List<Field> fields, List<Problem> problems) {
        this.protocol = protocol;
        this.bytes = bytes.clone();
        this.fields = List.copyOf(fields);
        this.problems = List.copyOf(problems);
    }

    /** The protocol that read these bytes, e.g. {@code "http"}. */
    public String protocol() {
        return protocol;
    }

    /** A copy of the dissected bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Top-level fields in byte order. */
    public List<Field> fields() {
        return fields;
    }

    /** Regions that did not parse; empty for well-formed input. */
    public List<Problem> problems() {
        return problems;
    }

    /** Every field, depth first, sub-fields after their parent. */
    public List<Field> allFields() {
        List<Field> out = new ArrayList<>();
        fields.forEach(f -> flatten(f, out));
        return out;
    }

    /** The first field named {@code name}, e.g. {@code field("websocket.opcode")}. */
    public Optional<Field> field(String name) {
        return allFields().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The value of the first field named {@code name}; fails with the names present when absent. */
    public String value(String name) {
        return field(name).map(Field::value).orElseThrow(() -> new IllegalArgumentException(
                "no field " + name + " in this " + protocol + " dissection; fields: "
                        + allFields().stream().map(Field::name).distinct().toList()));
    }

    /** A run of bytes that no field and no problem covers. */
    public record Gap(int offset, int length) {
    }

    /** Runs of bytes covered by neither a field (at any depth) nor a problem; empty when all are. */
    public List<Gap> uncoveredBytes() {
        java.util.BitSet covered = new java.util.BitSet(bytes.length);
        for (Field f : allFields()) {
            covered.set(Math.min(f.offset(), bytes.length), Math.min(f.end(), bytes.length));
        }
        for (Problem p : problems) {
            covered.set(Math.min(p.offset(), bytes.length), Math.min(p.offset() + p.length(), bytes.length));
        }
        List<Gap> gaps = new ArrayList<>();
        int i = covered.nextClearBit(0);
        while (i < bytes.length) {
            int end = Math.min(covered.nextSetBit(i) < 0 ? bytes.length : covered.nextSetBit(i), bytes.length);
            gaps.add(new Gap(i, end - i));
            i = covered.nextClearBit(end);
        }
        return gaps;
    }

    /** The bytes as lower-case hex pairs, e.g. {@code "81 05 48 65 6c 6c 6f"}. */
    public String hex() {
        return Hex.spaced(bytes);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<table><tr><th>offset</th><th>length</th><th>field</th>"
                + "<th>value</th></tr>");
        for (Field f : fields) {
            html(f, 0, html);
        }
        for (Problem p : problems) {
            html.append("<tr><td>").append(p.offset()).append("</td><td>").append(p.length())
                    .append("</td><td><b>problem</b></td><td>").append(Html.escape(p.message())).append("</td></tr>");
        }
        return MimeBundle.text(toString()).html(html.append("</table>").toString()).build();
    }

    /** One line per field: offset, length, name and value (cut after 120 characters); problems last. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Field f : allFields()) {
            String value = Printable.oneLine(f.value().length() <= 120 ? f.value()
                    : f.value().substring(0, 120) + "... (" + f.value().length() + " chars)");
            out.append(String.format("%5d %4d  %-36s %s%n", f.offset(), f.length(), f.name(), value));
        }
        for (Problem p : problems) {
            out.append(String.format("%5d %4d  %-36s %s%n", p.offset(), p.length(), "problem", p.message()));
        }
        return out.toString();
    }

    private static void html(Field f, int depth, StringBuilder out) {
        String value = Printable.oneLine(f.value().length() > 200 ? f.value().substring(0, 200) + "..." : f.value());
        out.append("<tr><td>").append(f.offset()).append("</td><td>").append(f.length())
                .append("</td><td style=\"padding-left:").append(depth).append("em\"><code>").append(Html.escape(f.name()))
                .append("</code></td><td>").append(Html.escape(value)).append("</td></tr>");
        f.children().forEach(c -> html(c, depth + 1, out));
    }

    private static void flatten(Field f, List<Field> out) {
        out.add(f);
        f.children().forEach(c -> flatten(c, out));
    }

    /**
     * The same bytes with only the first field of each of {@code names}, without sub-fields, in byte
     * order, e.g. {@code only("eth.type", "ip.proto", "tcp.dstport")}: the fields that name the next
     * layer, for a {@code HexView} that colours just them. Fails with the names present when one is absent.
     */
    public Dissection only(String... names) {
        List<Field> picked = new ArrayList<>();
        for (String name : names) {
            Field f = field(name).orElseThrow(() -> new IllegalArgumentException("no field " + name + " in this "
                    + protocol + " dissection; fields: " + allFields().stream().map(Field::name).distinct().toList()));
            picked.add(new Field(f.name(), f.offset(), f.length(), f.value(), List.of()));
        }
        picked.sort(java.util.Comparator.comparingInt(Field::offset));
        return new Dissection(protocol, bytes, picked, List.of());
    }
}

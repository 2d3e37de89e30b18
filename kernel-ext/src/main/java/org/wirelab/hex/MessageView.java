package org.wirelab.hex;

import java.util.Map;
import java.util.Objects;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.display.WirelabCss;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;

/**
 * A decoded message beside its bytes, like Wireshark's packet details and bytes panes: left the
 * field tree ({@code name: value}), right its bytes in the same colours, once each. Pointing at a
 * tree line outlines that field's bytes (in a trusted notebook, by
 * {@link org.wirelab.display.WirelabCss}); pointing at bytes names their field in every notebook.
 * A long payload is folded to its first and last rows, as in {@link HexView#limit(int)}.
 *
 * <pre>{@code
 * MessageView.of(frame)           // websocket.fin: 1, websocket.opcode: 1, ... | 81 05 48 65 6c 6c 6f
 * MessageView.of(frame).table()   // and the table of fields with their byte ranges
 * MessageView.of(frame).full()    // every byte, not folded
 * }</pre>
 */
public final class MessageView implements Rich {

    private static final int TREE_BUDGET = Budget.MAX_OUTPUT / 3;

    private final Dissection dissection;
    private final HexView hex;
    private final boolean table;

    private MessageView(Dissection dissection, HexView hex, boolean table) {
        this.dissection = dissection;
        this.hex = hex;
        this.table = table;
    }

    /** The message {@code dissection} describes. */
    public static MessageView of(Dissection dissection) {
        Objects.requireNonNull(dissection, "dissection");
        return new MessageView(dissection, HexView.of(dissection), false);
    }

    /** The same view with the table of fields (name, value, bytes) under the bytes. */
    public MessageView table() {
        return new MessageView(dissection, hex, true);
    }

    /** The same view with every byte, not folded (up to the output limit of one notebook output). */
    public MessageView full() {
        return new MessageView(dissection, hex.full(), table);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }

    /** The field tree, indented two spaces per level, then the {@code xxd}-style dump, folded when long. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(dissection.protocol()).append('\n');
        for (Field f : dissection.fields()) {
            tree(f, 1, out);
        }
        dissection.problems().forEach(p -> out.append("  problem at ")
                .append(HexView.range(p.offset(), p.length())).append(": ").append(p.message()).append('\n'));
        out.append('\n');
        out.append(hex.dump("MessageView"));
        return Budget.clipText(out.toString());
    }

    private static void tree(Field f, int depth, StringBuilder out) {
        out.append("  ".repeat(depth)).append(f.name()).append(": ").append(HexView.shorten(f.value())).append('\n');
        f.children().forEach(c -> tree(c, depth + 1, out));
    }

    String html() {
        StringBuilder tree = new StringBuilder("<div class=\"wl-tree\"><b>")
                .append(Html.escape(dissection.protocol())).append("</b>");
        Map<Field, Integer> colours = hex.colours();
        int[] left = {TREE_BUDGET};
        int[] omitted = {0};
        int[] id = {0};
        for (Field f : dissection.fields()) {
            node(f, tree, left, omitted, id, 0, colours);
        }
        if (omitted[0] > 0) {
            tree.append("<div class=\"wl-more\">").append(omitted[0]).append(" more fields</div>");
        }
        tree.append("</div>");
        String hexHtml = hex.html(Budget.MAX_OUTPUT - Budget.size(tree) - 400, table);
        return "<table class=\"wl-msg\" style=\"font-family:monospace;" + Palette.TABLE + "\"><tr><td style=\""
                + Palette.CELL + ";padding-right:16px\">" + tree + "</td><td style=\"" + Palette.CELL + "\">" + hexHtml
                + "</td></tr></table>";
    }

    private void node(Field f, StringBuilder out, int[] left, int[] omitted, int[] id, int depth, Map<Field, Integer> colours) {
        // the same pre-order index as the bytes' wl-h classes
        int hover = id[0]++;
        Integer colour = colours.get(f);
        String swatch = colour == null ? "" : "<span class=\"wl-swatch wl-f" + colour + "\" style=\"" + Palette.fieldStyle(colour)
                + "\">&#160;&#160;</span> ";
        String line = swatch + "<span class=\"wl-name\">" + Html.escape(f.name()) + "</span>: "
                + Html.escape(HexView.shorten(f.value()));
        if (line.length() > left[0]) {
            omitted[0]++;
            f.children().forEach(c -> skip(c, id));
            return;
        }
        left[0] -= line.length() + 60;
        String cls = hover < WirelabCss.HOVER_FIELDS ? " class=\"wl-t" + hover + "\"" : "";
        // inline indentation: the stylesheet is absent in untrusted notebooks
        String indent = depth == 0 ? "" : " style=\"margin-left:1.2em\"";
        if (f.children().isEmpty()) {
            out.append("<div").append(cls).append(indent).append(" title=\"bytes ").append(HexView.range(f.offset(), f.length()))
                    .append("\">").append(line).append("</div>");
        } else {
            out.append("<details open").append(indent).append("><summary").append(cls).append(" title=\"bytes ")
                    .append(HexView.range(f.offset(), f.length())).append("\">").append(line).append("</summary>");
            for (Field c : f.children()) {
                node(c, out, left, omitted, id, depth + 1, colours);
            }
            out.append("</details>");
        }
    }

    private static void skip(Field f, int[] id) {
        id[0]++;
        f.children().forEach(c -> skip(c, id));
    }
}

package org.wirelab.hex;

import java.util.Map;
import java.util.Objects;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.wire.Hex;

/**
 * A decoded message beside its bytes, like Wireshark's packet details and bytes panes: left the
 * field tree ({@code name: value}), right the {@link HexView} in the same colours.
 *
 * <pre>{@code
 * MessageView.of(frame)   // websocket.fin: 1, websocket.opcode: 1, ... | 81 05 48 65 6c 6c 6f
 * }</pre>
 */
public final class MessageView implements Rich {

    private static final int TREE_BUDGET = Budget.MAX_OUTPUT / 4;

    private final Dissection dissection;
    private final HexView hex;

    private MessageView(Dissection dissection) {
        this.dissection = dissection;
        this.hex = HexView.of(dissection);
    }

    /** The message {@code dissection} describes. */
    public static MessageView of(Dissection dissection) {
        return new MessageView(Objects.requireNonNull(dissection, "dissection"));
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }

    /** The field tree, indented two spaces per level, then the {@code xxd}-style dump. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(dissection.protocol()).append('\n');
        for (Field f : dissection.fields()) {
            tree(f, 1, out);
        }
        dissection.problems().forEach(p -> out.append("  problem at ")
                .append(HexView.range(p.offset(), p.length())).append(": ").append(p.message()).append('\n'));
        out.append('\n');
        byte[] b = dissection.bytes();
        int shown = Math.min(b.length, HexView.DEFAULT_LIMIT);
        out.append(Hex.dump(b, 0, shown));
        if (shown < b.length) {
            out.append("... ").append(b.length - shown).append(" more bytes\n");
        }
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
        for (Field f : dissection.fields()) {
            node(f, tree, left, omitted, 0, colours);
        }
        if (omitted[0] > 0) {
            tree.append("<div class=\"wl-more\">").append(omitted[0]).append(" more fields</div>");
        }
        tree.append("</div>");
        String hexHtml = hex.html(Budget.MAX_OUTPUT - Budget.size(tree) - 400);
        return "<table class=\"wl-msg\" style=\"font-family:monospace;" + Palette.TABLE + "\"><tr><td style=\""
                + Palette.CELL + ";padding-right:16px\">" + tree + "</td><td style=\"" + Palette.CELL + "\">" + hexHtml
                + "</td></tr></table>";
    }

    private void node(Field f, StringBuilder out, int[] left, int[] omitted, int depth, Map<Field, Integer> colours) {
        Integer colour = colours.get(f);
        String swatch = colour == null ? "" : "<span class=\"wl-swatch wl-f" + colour + "\" style=\"" + Palette.fieldStyle(colour)
                + "\">&#160;&#160;</span> ";
        String line = swatch + "<span class=\"wl-name\">" + Html.escape(f.name()) + "</span>: "
                + Html.escape(HexView.shorten(f.value()));
        if (line.length() > left[0]) {
            omitted[0]++;
            return;
        }
        left[0] -= line.length() + 60;
        // inline indentation: the stylesheet is absent in untrusted notebooks
        String indent = depth == 0 ? "" : " style=\"margin-left:1.2em\"";
        if (f.children().isEmpty()) {
            out.append("<div").append(indent).append(" title=\"bytes ").append(HexView.range(f.offset(), f.length()))
                    .append("\">").append(line).append("</div>");
        } else {
            out.append("<details open").append(indent).append("><summary title=\"bytes ")
                    .append(HexView.range(f.offset(), f.length())).append("\">").append(line).append("</summary>");
            for (Field c : f.children()) {
                node(c, out, left, omitted, depth + 1, colours);
            }
            out.append("</details>");
        }
    }
}

package org.wirelab.diagram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketDissection;
import org.wirelab.wire.Bytes;
import org.wirelab.wire.Hex;

/**
 * The base framing of RFC 6455 §5.2 drawn 32 bits to a row, as the RFC draws it, with one real
 * frame's bits filled in: FIN, RSV1-3, opcode, MASK, the 7-bit payload length, the 16- or 64-bit
 * extended length when there is one, the masking key when MASK is 1, then the first payload bytes.
 *
 * <pre>
 *   81 85 37 fa 21 3d 7f 9f 4d 51 58   RFC 6455 §5.7: a masked text frame, "Hello"
 *   FrameLayout.of(Dissect.websocket(bytes))
 * </pre>
 */
public final class FrameLayout implements Rich {

    /** Payload bytes drawn at most; the rest is counted, not drawn. */
    static final int PAYLOAD_SHOWN = 8;

    /** One field, or the part of it that falls in one 32-bit row. */
    private record Part(String name, int bit, int bits, String value, boolean first) {
    }

    private final byte[] frame;
    private final List<Part> fields;
    private final List<String[]> legend;

    private FrameLayout(byte[] frame, List<Part> fields, List<String[]> legend) {
        this.frame = frame;
        this.fields = fields;
        this.legend = legend;
    }

    /** The first frame of {@code frames}, e.g. {@code of(Dissect.upgraded(stream).frame(1))}. */
    public static FrameLayout of(WebSocketDissection frames) {
        if (frames.fields().isEmpty()) {
            throw new IllegalArgumentException("no WebSocket frame to draw: the bytes hold no frame header (RFC 6455 §5.2 needs 2 bytes)");
        }
        return of(frames.frame(1).bytes());
    }

    /** The frame that starts {@code bytes}, e.g. {@code 81 85 37 fa 21 3d 7f 9f 4d 51 58}. */
    public static FrameLayout of(byte[] bytes) {
        WebSocketDissection d = Dissect.websocket(bytes);
        if (bytes.length < 2 || d.fields().isEmpty()) {
            throw new IllegalArgumentException("no WebSocket frame to draw: " + bytes.length
                    + " byte(s), and a frame header (RFC 6455 §5.2) needs at least 2");
        }
        byte[] b = d.frame(1).bytes();
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        boolean masked = (b1 & 0x80) != 0;
        int len7 = b1 & 0x7f;
        int extBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int keyAt = 2 + extBytes;
        int payloadAt = keyAt + (masked ? 4 : 0);
        if (b.length < payloadAt) {
            throw new IllegalArgumentException("the frame header is cut short: it needs " + payloadAt
                    + " bytes (RFC 6455 §5.2) and " + b.length + " are here");
        }
        long length = extBytes == 0 ? len7 : extBytes == 2 ? Bytes.u16(b, 2) : (Bytes.u32(b, 2) << 32 | Bytes.u32(b, 6));
        Opcode op = Opcode.of(b0 & 0x0f);

        List<Part> f = new ArrayList<>();
        List<String[]> legend = new ArrayList<>();
        f.add(new Part("FIN", 0, 1, bit(b0, 7), true));
        legend.add(row("FIN", bit(b0, 7), (b0 & 0x80) != 0 ? "the final fragment of its message" : "more fragments follow"));
        for (int i = 1; i <= 3; i++) {
            f.add(new Part("RSV" + i, i, 1, bit(b0, 7 - i), true));
        }
        legend.add(row("RSV1-3", bit(b0, 6) + " " + bit(b0, 5) + " " + bit(b0, 4),
                (b0 & 0x70) == 0 ? "0: no extension negotiated one" : "set: an extension must have been negotiated"));
        f.add(new Part("opcode", 4, 4, String.format("%x", b0 & 0x0f), true));
        legend.add(row("opcode", String.format("0x%x", b0 & 0x0f), op.rfcName() + (op.isControl() ? " (control frame)" : "")));
        f.add(new Part("MASK", 8, 1, bit(b1, 7), true));
        legend.add(row("MASK", bit(b1, 7), masked ? "masked: a client's frame" : "not masked: a server's frame"));
        f.add(new Part("payload len", 9, 7, Integer.toString(len7), true));
        legend.add(row("payload len", Integer.toString(len7), len7 == 126 ? "126: the length is in the next 16 bits"
                : len7 == 127 ? "127: the length is in the next 64 bits" : length + " payload bytes"));
        if (extBytes > 0) {
            f.add(new Part("extended payload length", 16, extBytes * 8, Long.toUnsignedString(length), true));
            legend.add(row("extended payload length", Hex.pairs(b, 2, extBytes, " "), Long.toUnsignedString(length) + " payload bytes"));
        }
        int bitAt = keyAt * 8;
        if (masked) {
            f.add(new Part("masking key", bitAt, 32, Hex.pairs(b, keyAt, 4, " "), true));
            legend.add(row("masking key", Hex.pairs(b, keyAt, 4, " "), "payload byte i is XORed with key byte i mod 4 (§5.3)"));
            bitAt += 32;
        }
        int have = b.length - payloadAt;
        int shown = (int) Math.min(Math.min(have, length), PAYLOAD_SHOWN);
        byte[] clear = new byte[shown];
        for (int i = 0; i < shown; i++) {
            int v = b[payloadAt + i] & 0xff;
            clear[i] = (byte) (masked ? v ^ (b[keyAt + (i % 4)] & 0xff) : v);
            f.add(new Part(i == 0 ? "payload data" : "", bitAt + 8 * i, 8, String.format("%02x", v), true));
        }
        if (length > 0) {
            String more = length > shown ? " … (" + (length - shown) + " more bytes not drawn)" : "";
            legend.add(row("payload data", (shown == 0 ? "(none here)" : Hex.pairs(b, payloadAt, shown, " ")) + more,
                    masked ? "unmasked: " + Hex.pairs(clear, 0, shown, " ") + text(clear, op) : text(clear, op).strip()));
        }
        return new FrameLayout(b, splitIntoRows(f), legend);
    }

    private static String text(byte[] clear, Opcode op) {
        if (op != Opcode.TEXT && op != Opcode.CONTINUATION) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (byte c : clear) {
            s.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return " \"" + s + "\"";
    }

    private static String[] row(String field, String value, String meaning) {
        return new String[] {field, value, meaning};
    }

    private static String bit(int b, int i) {
        return ((b >> i) & 1) == 1 ? "1" : "0";
    }

    /** Cuts fields that cross a 32-bit boundary into one part per row; the first part keeps the name. */
    private static List<Part> splitIntoRows(List<Part> fields) {
        List<Part> out = new ArrayList<>();
        for (Part p : fields) {
            int at = p.bit();
            int left = p.bits();
            boolean first = true;
            while (left > 0) {
                int room = 32 - at % 32;
                int n = Math.min(room, left);
                out.add(new Part(first ? p.name() : p.name().isEmpty() ? "" : p.name() + " (cont.)", at, n, p.value(), first));
                at += n;
                left -= n;
                first = false;
            }
        }
        return out;
    }

    /** The bits of {@code p} as 0 and 1, read from this frame. */
    private String bits(Part p) {
        StringBuilder s = new StringBuilder();
        for (int i = p.bit(); i < p.bit() + p.bits(); i++) {
            s.append(((frame[i / 8] >> (7 - i % 8)) & 1) == 1 ? '1' : '0');
        }
        return s.toString();
    }

    private List<List<Part>> rows() {
        List<List<Part>> rows = new ArrayList<>();
        for (Part p : fields) {
            int r = p.bit() / 32;
            while (rows.size() <= r) {
                rows.add(new ArrayList<>());
            }
            rows.get(r).add(p);
        }
        return rows;
    }

    /** The frame in the RFC's ASCII form, one character pair per bit, then what each field says. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("RFC 6455 §5.2 frame layout, this frame's bits (" + Hex.pairs(frame, 0,
                Math.min(frame.length, 16), " ") + (frame.length > 16 ? " …" : "") + ")\n");
        out.append(" 0                   1                   2                   3\n");
        out.append(" 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1\n");
        for (List<Part> row : rows()) {
            out.append(border(row)).append('\n');
            StringBuilder line = new StringBuilder("|");
            for (Part p : row) {
                line.append(String.join(" ", bits(p).split(""))).append('|');
            }
            out.append(line).append('\n');
        }
        List<List<Part>> rows = rows();
        out.append(border(rows.get(rows.size() - 1))).append('\n');
        int w = legend.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int v = legend.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        for (String[] r : legend) {
            out.append(String.format("%-" + w + "s  %-" + v + "s  %s%n", r[0], r[1], r[2]));
        }
        return out.toString().stripTrailing();
    }

    private static String border(List<Part> row) {
        StringBuilder s = new StringBuilder("+");
        for (Part p : row) {
            s.append(p.bits() == 1 ? "-" : "-".repeat(2 * p.bits() - 1)).append('+');
        }
        return s.toString();
    }

    private String html() {
        String cell = "text-align:center;vertical-align:top;padding:1px 2px;border:1px solid rgba(128,128,128,0.7);";
        StringBuilder out = new StringBuilder("<div class=\"wl-frame-layout\" style=\"font-family:monospace\">"
                + "<div class=\"wl-meta\">RFC 6455 §5.2 frame layout, this frame's bits</div>"
                + "<table class=\"wl-frame\" style=\"margin:0;border-collapse:collapse;table-layout:fixed\"><tr>");
        for (int i = 0; i < 32; i++) {
            out.append("<th class=\"wl-off\" style=\"width:1.6em;text-align:center;padding:0;font-weight:normal\">")
                    .append(i).append("</th>");
        }
        out.append("</tr>");
        String[] colours = {"rgba(255,99,71,0.35)", "rgba(120,120,160,0.4)", "rgba(30,144,255,0.35)", "rgba(186,85,211,0.38)",
            "rgba(60,179,113,0.4)", "rgba(255,140,0,0.4)", "rgba(0,191,191,0.38)", "rgba(255,200,0,0.45)"};
        for (List<Part> row : rows()) {
            out.append("<tr>");
            for (Part p : row) {
                String colour = colours[colour(p.name())];
                out.append("<td class=\"wl-field\" colspan=\"").append(p.bits()).append("\" style=\"").append(cell)
                        .append("background-color:").append(colour).append("\" title=\"").append(Html.escape(p.name()))
                        .append(" = ").append(Html.escape(p.value())).append("\"><div class=\"wl-name\" style=\"font-size:85%\">")
                        .append(Html.escape(p.bits() < 4 ? shortName(p.name()) : p.name())).append("</div><div>")
                        .append(String.join(p.bits() <= 8 ? "" : " ", bytesOf(bits(p)))).append("</div>");
                if (p.first() && p.bits() > 1 && !p.name().isEmpty() && !p.name().equals("payload data")) {
                    out.append("<div class=\"wl-value\"><b>").append(Html.escape(p.value())).append("</b></div>");
                } else if (p.name().isEmpty() || p.name().equals("payload data")) {
                    out.append("<div class=\"wl-value\">").append(p.value()).append("</div>");
                }
                out.append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</table><table class=\"wl-legend\" style=\"margin:4px 0 0 0;border-collapse:collapse\">");
        for (String[] r : legend) {
            out.append("<tr><td style=\"text-align:left;padding:0 6px 0 0\"><code>").append(Html.escape(r[0]))
                    .append("</code></td><td style=\"text-align:left;padding:0 6px 0 0\"><b>").append(Html.escape(r[1]))
                    .append("</b></td><td style=\"text-align:left;padding:0\">").append(Html.escape(r[2])).append("</td></tr>");
        }
        return out.append("</table></div>").toString();
    }

    private static int colour(String name) {
        String n = name.replace(" (cont.)", "");
        return switch (n) {
            case "FIN" -> 0;
            case "RSV1", "RSV2", "RSV3" -> 1;
            case "opcode" -> 2;
            case "MASK" -> 3;
            case "payload len" -> 4;
            case "extended payload length" -> 5;
            case "masking key" -> 6;
            default -> 7;
        };
    }

    private static String shortName(String name) {
        return name.startsWith("RSV") ? "R" + name.charAt(3) : name.equals("MASK") ? "M" : name.equals("FIN") ? "F" : name;
    }

    /** A bit string cut into groups of 8 (one group per byte), e.g. {@code 00110111 11111010}. */
    private static List<String> bytesOf(String bits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < bits.length(); i += 8) {
            out.add(bits.substring(i, Math.min(bits.length(), i + 8)));
        }
        return out;
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }
}

package org.wirelab.diagram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.wire.HttpHead;
import org.wirelab.wire.Printable;

/**
 * One captured packet as nested layers (RFC 1122 §1.1.3): the application's bytes on top, then
 * each layer below wrapping what it carries in its own header, down to the link-layer frame, with
 * this packet's byte counts. The counts come from the dissection's offsets, so they are the bytes
 * that crossed the wire.
 *
 * <pre>
 *   application  HTTP                                   95 bytes
 *   transport    TCP header 32     + 95 bytes  = 127
 *   internet     IPv4 header 20    + 127 bytes = 147
 *   link         Ethernet header 14 + 147 bytes = 161 (the frame)
 *   Encapsulation.of(capture.packets().get(3))
 * </pre>
 */
public final class Encapsulation implements Rich {

    /** One wrapping layer: its level in RFC 1122's model, its protocol, and its header's size. */
    private record Layer(String level, String protocol, String field, int offset, int header, int carried) {
    }

    /** Backgrounds of the layers, bottom up, the same as {@code HexView.layers}'s field colours. */
    private static final String[] COLOUR = {"rgba(255,99,71,0.35)", "rgba(30,144,255,0.35)", "rgba(60,179,113,0.4)",
        "rgba(255,200,0,0.45)"};

    private final List<Layer> layers;
    private final int payload;
    private final String application;
    private final String preview;
    private final int total;

    private Encapsulation(List<Layer> layers, int payload, String application, String preview, int total) {
        this.layers = layers;
        this.payload = payload;
        this.application = application;
        this.preview = preview;
        this.total = total;
    }

    /** The layers of one dissected packet, e.g. {@code Encapsulation.of(packets.packets().get(3))}. */
    public static Encapsulation of(Dissection packet) {
        List<Field> top = packet.fields();
        List<Layer> layers = new ArrayList<>();
        int total = packet.bytes().length;
        for (int i = 0; i < top.size(); i++) {
            Field f = top.get(i);
            String[] what = switch (f.name()) {
                case "eth" -> new String[] {"link", "Ethernet II"};
                case "sll" -> new String[] {"link", "Linux cooked capture"};
                case "null" -> new String[] {"link", "BSD loopback"};
                case "ip" -> new String[] {"internet", "IPv4"};
                case "ipv6" -> new String[] {"internet", "IPv6"};
                case "tcp" -> new String[] {"transport", "TCP"};
                case "udp" -> new String[] {"transport", "UDP"};
                default -> null;
            };
            if (what == null) {
                continue;
            }
            layers.add(new Layer(what[0], what[1], f.name(), f.offset(), 0, 0));
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layer to draw: the packet's " + total
                    + " bytes hold no link, IP, TCP or UDP header this dissector read");
        }
        Optional<Field> data = packet.field("tcp.payload").or(() -> packet.field("udp.payload"));
        int payloadAt = data.map(Field::offset).orElse(total);
        int payload = data.map(Field::length).orElse(0);
        List<Layer> sized = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int next = i + 1 < layers.size() ? layers.get(i + 1).offset() : payloadAt;
            int header = Math.max(0, next - l.offset());
            sized.add(new Layer(l.level(), l.protocol(), l.field(), l.offset(), header, Math.max(0, total - next)));
        }
        String application;
        String preview = "";
        if (payload == 0) {
            application = "no application bytes";
        } else {
            byte[] bytes = Arrays.copyOfRange(packet.bytes(), payloadAt, payloadAt + payload);
            // HTTP/1.x rides on a byte stream: a UDP datagram that starts like HTTP is still just data.
            boolean http = packet.field("tcp.payload").isPresent() && HttpHead.startsLikeHttp(bytes);
            application = http ? "HTTP" : "application data";
            String line = new String(bytes, 0, Math.min(bytes.length, 48), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .lines().findFirst().orElse("");
            preview = Printable.isText(bytes, Math.min(bytes.length, 48)) ? line
                    : Printable.escape(bytes, 0, Math.min(bytes.length, 12));
        }
        return new Encapsulation(sized, payload, application, preview, total);
    }

    private static String plural(int n) {
        return n + (n == 1 ? " byte" : " bytes");
    }

    /** A staircase from the application's bytes (top) to the frame (bottom), then the sums. */
    @Override
    public String toString() {
        List<String> headers = new ArrayList<>();
        for (Layer l : layers) {
            headers.add("[" + l.protocol() + " header " + l.header() + "]");
        }
        String top = "[" + application + " " + plural(payload) + (preview.isEmpty() ? "" : ": " + preview) + "]";
        int[] width = headers.stream().mapToInt(String::length).toArray();
        StringBuilder out = new StringBuilder("Encapsulation of this packet (" + plural(total) + " captured)\n");
        int levelWidth = 12;
        int n = layers.size();
        for (int row = n; row >= 0; row--) {
            String level = row == n ? "application" : layers.get(row).level();
            StringBuilder line = new StringBuilder(String.format("%-" + levelWidth + "s", level));
            for (int c = 0; c < Math.min(row, n); c++) {
                line.append(" ".repeat(width[c]));
            }
            if (row == n) {
                line.append(top);
            } else {
                line.append(headers.get(row));
                int box = top.length();
                for (int c = row + 1; c < n; c++) {
                    box += width[c];
                }
                String inner = "[" + (row == n - 1 ? application + " " + plural(payload)
                        : layers.get(row + 1).protocol() + " " + kind(layers.get(row + 1)) + ", " + plural(layers.get(row).carried()));
                line.append(inner).append(" ".repeat(Math.max(0, box - inner.length() - 1))).append(']');
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n');
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            out.append(String.format("%-" + levelWidth + "s%-22s %5d + %5d = %5d%s%n", l.level(), l.protocol() + " header",
                    l.header(), l.carried(), l.header() + l.carried(), i == 0 ? " bytes: the frame" : " bytes"));
        }
        return out.toString().stripTrailing();
    }

    /** What a layer's unit is called, e.g. a TCP segment. */
    private static String kind(Layer l) {
        return switch (l.field()) {
            case "tcp" -> "segment";
            case "udp" -> "datagram";
            case "ip", "ipv6" -> "packet";
            default -> "frame";
        };
    }

    private String html() {
        String cell = "text-align:center;vertical-align:middle;padding:2px 6px;border:1px solid rgba(128,128,128,0.7);";
        StringBuilder out = new StringBuilder("<div class=\"wl-encapsulation\" style=\"font-family:monospace\">"
                + "<div class=\"wl-meta\">Encapsulation of this packet, " + plural(total) + " captured: "
                + "each layer's header wraps the layer above it</div>"
                + "<table class=\"wl-layers\" style=\"margin:0;border-collapse:collapse\">");
        int n = layers.size();
        for (int row = n; row >= 0; row--) {
            String level = row == n ? "application" : layers.get(row).level();
            out.append("<tr><td class=\"wl-name\" style=\"text-align:left;padding:2px 8px 2px 0;border:none\">").append(level).append("</td>");
            for (int c = 0; c < Math.min(row, n); c++) {
                out.append("<td style=\"border:none\"></td>");
            }
            if (row < n) {
                Layer l = layers.get(row);
                out.append("<td class=\"wl-header\" style=\"").append(cell).append("background-color:").append(COLOUR[Math.min(row, 2)])
                        .append("\">").append(Html.escape(l.protocol())).append(" header<br><b>").append(plural(l.header()))
                        .append("</b></td>");
            }
            int span = n - Math.min(row + 1, n) + 1;
            String inner = row == n ? application + (preview.isEmpty() ? "" : "<br><code>" + Html.escape(preview) + "</code>")
                    : row == n - 1 ? application + " (payload)" : Html.escape(layers.get(row + 1).protocol()) + " " + kind(layers.get(row + 1));
            int bytes = row == n ? payload : layers.get(row).carried();
            String bg = row == n ? COLOUR[3] : "transparent";
            out.append("<td class=\"wl-carried\" colspan=\"").append(span).append("\" style=\"").append(cell)
                    .append("background-color:").append(bg).append(";min-width:12em\">").append(inner).append("<br><b>")
                    .append(plural(bytes)).append("</b></td>");
            String sum = row == n ? "" : "= " + plural(layers.get(row).header() + bytes) + (row == 0 ? " (the frame)" : "");
            out.append("<td class=\"wl-meta\" style=\"text-align:left;padding:2px 0 2px 8px;border:none\">").append(sum).append("</td></tr>");
        }
        return out.append("</table></div>").toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }
}

package org.wirelab.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wirelab.diagram.Chart;
import org.wirelab.diagram.SequenceDiagram;
import org.wirelab.diagram.Timeline;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.dissect.Problem;
import org.wirelab.hex.HexView;
import org.wirelab.hex.MessageView;
import org.wirelab.hex.StreamView;
import org.wirelab.display.WirelabCss;
import org.wirelab.wire.Direction;

/**
 * Writes two pages with every view on a light and a dark background, for a look in a browser:
 * {@code trusted.html} with {@link WirelabCss} injected, {@code untrusted.html} without it (as a
 * sanitized notebook shows them). SVG pictures are shown as images, the way JupyterLab does;
 * Mermaid source is shown as text.
 *
 * <pre>
 * ./mvnw -q -o -pl kernel-ext test -Dtest=ViewGalleryTest
 * chromium --headless --screenshot=kernel-ext/target/gallery/trusted.png --window-size=1500,2600 \
 *     file://$PWD/kernel-ext/target/gallery/trusted.html
 * </pre>
 */
public final class ViewGallery {

    private ViewGallery() {
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : "kernel-ext/target/gallery"));
    }

    /** The views shown, by caption. */
    public static Map<String, Rich> views() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        byte[] hello = HexFormat.ofDelimiter(" ").parseHex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        Dissection frame = new Dissection("websocket", hello, List.of(new Field("websocket", 0, 11,
                "WebSocket Text [FIN] [MASKED]", List.of(
                        new Field("websocket.flags", 0, 1, "0x81", List.of(Field.of("websocket.fin", 0, 1, "1"),
                                Field.of("websocket.opcode", 0, 1, "1"))),
                        Field.of("websocket.mask", 1, 1, "1"),
                        Field.of("websocket.payload_length", 1, 1, "5"),
                        Field.of("websocket.masking_key", 2, 4, "37fa213d"),
                        Field.of("websocket.masked_payload", 6, 5, "7f9f4d5158"),
                        Field.of("websocket.payload.text", 6, 5, "Hello <script>alert(1)</script>")))), List.of());
        Dissection truncated = new Dissection("websocket", HexFormat.ofDelimiter(" ").parseHex("82 7e 01"),
                List.of(Field.of("websocket.opcode", 0, 1, "2"), Field.of("websocket.payload_length", 1, 1, "126")),
                List.of(new Problem(2, 1, "truncated: payload length 126 needs 2 more bytes")));
        String req = "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        String resp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        byte[] reqBytes = req.getBytes(StandardCharsets.US_ASCII);
        Dissection http = new Dissection("http", reqBytes, List.of(
                Field.of("http.request.method", 0, 3, "GET"),
                Field.of("http.request.uri", 4, 5, "/chat"),
                Field.of("http.request.version", 10, 8, "HTTP/1.1"),
                Field.of("http.host", 20, 21, "127.0.0.1:8080")), List.of());
        Map<String, Rich> v = new LinkedHashMap<>();
        v.put("HexView.of(frame)", HexView.of(frame));
        v.put("HexView.of(truncated)", HexView.of(truncated));
        v.put("HexView.of(request).limit(48)", HexView.of(http).limit(48));
        v.put("MessageView.of(frame)", MessageView.of(frame));
        v.put("StreamView", StreamView.newBuilder()
                .add(Direction.CLIENT_TO_SERVER, reqBytes, t0)
                .add(Direction.SERVER_TO_CLIENT, resp.getBytes(StandardCharsets.US_ASCII), t0.plusNanos(310_000))
                .add(Direction.CLIENT_TO_SERVER, hello, t0.plusNanos(900_000))
                .add(Direction.SERVER_TO_CLIENT, HexFormat.ofDelimiter(" ").parseHex("81 05 48 65 6c 6c 6f"), t0.plusNanos(1_020_000))
                .build());
        v.put("SequenceDiagram", SequenceDiagram.newBuilder().participant("client").participant("server")
                .message("client", "server", "SYN seq=0", t0, "49152→8080")
                .message("server", "client", "SYN-ACK seq=0 ack=1", t0.plusNanos(80_000), "49152→8080")
                .message("client", "server", "ACK seq=1 ack=1", t0.plusNanos(120_000), "49152→8080")
                .message("client", "server", "GET /chat HTTP/1.1 (" + reqBytes.length + " bytes)", t0.plusNanos(300_000))
                .message("server", "client", "HTTP/1.1 101 Switching Protocols (129 bytes)", t0.plusNanos(610_000))
                .note("WebSocket")
                .message("client", "server", "text \"Hello\" masked (11 bytes)", t0.plusNanos(900_000))
                .build());
        v.put("Timeline (TCP states)", Timeline.newBuilder("TCP states")
                .interval("client", "SYN-SENT", t0, t0.plusNanos(80_000))
                .interval("client", "ESTABLISHED", t0.plusNanos(80_000), t0.plusNanos(2_000_000))
                .interval("client", "FIN-WAIT-1", t0.plusNanos(2_000_000), t0.plusNanos(2_100_000))
                .interval("client", "TIME-WAIT", t0.plusNanos(2_100_000), t0.plusNanos(2_600_000))
                .interval("server", "SYN-RECEIVED", t0.plusNanos(40_000), t0.plusNanos(120_000))
                .interval("server", "ESTABLISHED", t0.plusNanos(120_000), t0.plusNanos(2_050_000))
                .interval("server", "CLOSE-WAIT", t0.plusNanos(2_050_000), t0.plusNanos(2_200_000))
                .event("client", "FIN", t0.plusNanos(2_000_000))
                .build());
        v.put("Timeline (duplex)", Timeline.newBuilder("who talks when: full duplex")
                .flow("client → server", 512, t0, t0.plusNanos(400_000))
                .flow("server → client", 4096, t0.plusNanos(100_000), t0.plusNanos(900_000))
                .flow("client → server", 512, t0.plusNanos(600_000), t0.plusNanos(1_000_000))
                .build());
        v.put("Chart.bar", Chart.bar("Round trip by payload").x("payload").y("round trip", "ms")
                .add("64 B", "loopback", 0.21).add("64 B", "through tap", 0.35)
                .add("64 KiB", "loopback", 0.9).add("64 KiB", "through tap", 1.4));
        v.put("Chart.line", Chart.line("Receive window").x("time", "ms").y("window", "bytes")
                .add("client", 0, 65535).add("client", 1, 131072).add("client", 2, 262144)
                .add("server", 0, 65535).add("server", 1, 65535).add("server", 2, 98304));
        return v;
    }

    /** Writes {@code trusted.html} and {@code untrusted.html} into {@code dir}; returns their paths. */
    public static List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path trusted = dir.resolve("trusted.html");
        Path untrusted = dir.resolve("untrusted.html");
        Files.writeString(trusted, page(true), StandardCharsets.UTF_8);
        Files.writeString(untrusted, page(false), StandardCharsets.UTF_8);
        int i = 0;
        for (Rich r : views().values()) {
            Object svg = r.mimeBundle().get(MimeBundle.SVG);
            if (svg != null) {
                Files.writeString(dir.resolve("view" + i + ".svg"), (String) svg, StandardCharsets.UTF_8);
            }
            i++;
        }
        return List.of(trusted, untrusted);
    }

    static String page(boolean trusted) {
        StringBuilder out = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><style>")
                .append("body{margin:0;font-family:sans-serif;display:flex}")
                .append(".col{flex:1;padding:12px;min-width:0;overflow:hidden}")
                .append(".light{background:#ffffff;color:rgba(0,0,0,0.87);--jp-content-font-color1:rgba(0,0,0,0.87);"
                        + "--jp-content-font-color2:rgba(0,0,0,0.54);--jp-error-color1:#d32f2f}")
                .append(".dark{background:#111111;color:rgba(255,255,255,1);--jp-content-font-color1:rgba(255,255,255,1);"
                        + "--jp-content-font-color2:rgba(255,255,255,0.7);--jp-error-color1:#f44336}")
                .append("h3{font-size:13px;margin:14px 0 4px;opacity:.7}pre.src{font-size:11px}")
                // roughly what JupyterLab's own output stylesheet does to tables in HTML outputs
                .append(".jp-RenderedHTMLCommon table{border-collapse:collapse;border:none;table-layout:fixed;"
                        + "margin-left:auto;margin-right:auto;margin-bottom:1em;font-size:13px}")
                .append(".jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th,.jp-RenderedHTMLCommon tr{vertical-align:middle;"
                        + "padding:.5em;line-height:normal;white-space:normal;text-align:right;border:none}")
                .append(".light .jp-RenderedHTMLCommon tbody tr:nth-child(odd){background:#f5f5f5}")
                .append(".dark .jp-RenderedHTMLCommon tbody tr:nth-child(odd){background:#212121}")
                .append("</style>");
        if (trusted) {
            out.append(WirelabCss.styleElement());
        }
        out.append("</head><body>");
        for (String theme : List.of("light", "dark")) {
            out.append("<div class=\"col ").append(theme).append("\"><h2>").append(theme)
                    .append(trusted ? ", trusted (stylesheet)" : ", untrusted (inline styles only)").append("</h2>");
            for (Map.Entry<String, Rich> e : views().entrySet()) {
                out.append("<h3>").append(Html.escape(e.getKey())).append("</h3>");
                Map<String, Object> b = e.getValue().mimeBundle();
                if (b.containsKey(MimeBundle.HTML)) {
                    out.append("<div class=\"jp-RenderedHTMLCommon\">").append(b.get(MimeBundle.HTML)).append("</div>");
                } else if (b.containsKey(MimeBundle.SVG)) {
                    out.append("<img alt=\"svg\" src=\"data:image/svg+xml;base64,")
                            .append(Base64.getEncoder().encodeToString(((String) b.get(MimeBundle.SVG)).getBytes(StandardCharsets.UTF_8)))
                            .append("\">");
                }
                if (b.containsKey(MimeBundle.MERMAID) && theme.equals("light")) {
                    out.append("<pre class=\"src\">").append(Html.escape((String) b.get(MimeBundle.MERMAID))).append("</pre>");
                }
            }
            out.append("</div>");
        }
        return out.append("</body></html>").toString();
    }
}

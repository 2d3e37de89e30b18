package org.wirelab.http;

import org.wirelab.wire.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * A request as {@link HttpDemoServer} received it (RFC 9112 §3), for {@code server.takeRequest()}.
 * {@code Http2DemoServer} gives the same record with version {@code HTTP/2}, the method and target
 * from the {@code :method} and {@code :path} pseudo-header fields, and every field as decoded from
 * HPACK, pseudo-header fields included; there {@link #head()} is a text rendering of those fields,
 * not bytes that crossed the wire (HTTP/2 sends them HPACK-coded in a HEADERS frame).
 *
 * <p>The head is rebuilt from the parsed request in received order and spelling, one
 * {@code name: value} per field line, so obsolete line folding or extra spaces around values
 * would not show; the body is the decoded body (chunked framing removed).
 *
 * @param method     e.g. {@code GET}
 * @param target     the request-target as sent, e.g. {@code /echo?x=1}
 * @param version    e.g. {@code HTTP/1.1}, or {@code HTTP/2}
 * @param headers    field lines in received order, e.g. {@code [Host=127.0.0.1:8080]}
 * @param body       the decoded content, e.g. empty for a GET
 * @param connection which connection of the server it came on, from 1, e.g. {@code 1}
 * @param sequence   its place among that connection's requests, from 1, e.g. {@code 2}
 */
public record RecordedRequest(String method, String target, String version,
        List<Map.Entry<String, String>> headers, byte[] body, int connection, int sequence) implements Rich {

    /** Copies everything so the record stays immutable. */
    public RecordedRequest {
        headers = headers.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        body = body.clone();
    }

    /** The first value of header {@code name} (case-insensitive), e.g. {@code header("host")}; empty when absent. */
    public java.util.Optional<String> header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return java.util.Optional.of(e.getValue());
            }
        }
        return java.util.Optional.empty();
    }

    /** The decoded body (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The head as wire text, e.g. {@code "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"}. */
    public String head() {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        for (Map.Entry<String, String> e : headers) {
            text.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        return text.append("\r\n").toString();
    }

    /** Head and body as bytes (ISO-8859-1 head), as {@code /echo} answers them. */
    public byte[] bytes() {
        byte[] head = head().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** {@link #bytes()} as hex pairs, e.g. {@code 47 45 54 20 2f ...}. */
    public String hex() {
        return Hex.spaced(bytes());
    }

    /** Head and body as wire text. */
    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.ISO_8859_1);
    }

    /** text/plain as {@link #toString()}; text/html the same in a {@code <pre>}. */
    @Override
    public java.util.Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html("<pre>" + Html.escape(toString()) + "</pre>").build();
    }
}

package org.wirelab.dissect;

import org.wirelab.wire.Bytes;
import org.wirelab.wire.Hex;
import org.wirelab.wire.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.x messages from one direction of a connection, RFC 9112.
 *
 * <pre>
 *   GET / HTTP/1.1\r\n              request line (§3)
 *   Host: 127.0.0.1:8080\r\n        field lines (§5)
 *   \r\n                            end of the header section
 *   4\r\nWiki\r\n0\r\n\r\n          chunked body (§7.1)
 * </pre>
 *
 * After {@code 101 Switching Protocols} with {@code Upgrade: websocket} the remaining bytes are
 * WebSocket frames; after a request asking for that upgrade, bytes that cannot start a request
 * line (a method starts with A-Z) are WebSocket frames too.
 */
final class HttpDissector {

    /** Header names with a dedicated Wireshark field (lower case -> field name). */
    static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("host", "http.host"),
            Map.entry("user-agent", "http.user_agent"),
            Map.entry("accept", "http.accept"),
            Map.entry("accept-language", "http.accept_language"),
            Map.entry("accept-encoding", "http.accept_encoding"),
            Map.entry("content-type", "http.content_type"),
            Map.entry("content-length", "http.content_length_header"),
            Map.entry("content-encoding", "http.content_encoding"),
            Map.entry("transfer-encoding", "http.transfer_encoding"),
            Map.entry("connection", "http.connection"),
            Map.entry("upgrade", "http.upgrade"),
            Map.entry("sec-websocket-key", "http.sec_websocket_key"),
            Map.entry("sec-websocket-accept", "http.sec_websocket_accept"),
            Map.entry("sec-websocket-version", "http.sec_websocket_version"),
            Map.entry("sec-websocket-extensions", "http.sec_websocket_extensions"),
            Map.entry("sec-websocket-protocol", "http.sec_websocket_protocol"),
            Map.entry("date", "http.date"),
            Map.entry("server", "http.server"),
            Map.entry("location", "http.location"),
            Map.entry("last-modified", "http.last_modified"),
            Map.entry("cache-control", "http.cache_control"),
            Map.entry("cookie", "http.cookie"),
            Map.entry("set-cookie", "http.set_cookie"),
            Map.entry("referer", "http.referer"),
            Map.entry("authorization", "http.authorization"),
            Map.entry("www-authenticate", "http.www_authenticate"),
            Map.entry("proxy-authorization", "http.proxy_authorization"),
            Map.entry("proxy-authenticate", "http.proxy_authenticate"),
            Map.entry("x-forwarded-for", "http.x_forwarded_for"),
            Map.entry("http2-settings", "http.http2_settings"));

    /** Reason phrases of RFC 9110 §15, shown by tshark as http.response.code.desc. */
    static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(101, "Switching Protocols"), Map.entry(200, "OK"),
            Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"),
            Map.entry(206, "Partial Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(413, "Payload Too Large"),
            Map.entry(426, "Upgrade Required"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    final List<Node> nodes = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final WebSocketDissector websocket = new WebSocketDissector();
    private boolean upgradeRequested;

    static Dissection dissect(byte[] b) {
        HttpDissector d = new HttpDissector();
        d.read(b);
        List<Node> all = new ArrayList<>(d.nodes);
        all.addAll(d.websocket.frames);
        all.sort((x, y) -> Integer.compare(x.offset, y.offset));
        List<Problem> problems = new ArrayList<>(d.problems);
        problems.addAll(d.websocket.problems);
        return new Dissection("http", b, Node.fields(all, 0), problems);
    }

    void read(byte[] b) {
        int n = b.length;
        int at = 0;
        while (at < n) {
            int c = b[at] & 0xff;
            if (upgradeRequested && (c < 'A' || c > 'Z') && c != '\r' && c != '\n') {
                websocket.read(b, at, n);
                return;
            }
            if (c == '\r' && at + 1 < n && b[at + 1] == '\n' || c == '\n') {
                int len = c == '\n' ? 1 : 2;
                nodes.add(new Node("http.leading_crlf", at, len, Hex.colons(b, at, len)));
                at += len;
                continue;
            }
            at = message(b, at, n);
            if (at < 0) {
                return;
            }
        }
    }

    /** Index of the LF ending the line that starts at {@code from}, or -1. */
    private static int lineFeed(byte[] b, int from, int n) {
        for (int i = from; i < n; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Length of the line content without its CRLF (or bare LF). */
    private static int contentEnd(byte[] b, int lf, int from) {
        return lf > from && b[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** One message at {@code at}; returns the offset after it, or -1 when nothing more can be read. */
    private int message(byte[] b, int at, int n) {
        boolean response = n - at >= 5 && latin1(b, at, 5).equals("HTTP/");
        String kind = response ? "response" : "request";
        int lf = lineFeed(b, at, n);
        if (lf < 0) {
            problems.add(new Problem(at, n - at, "truncated: " + (response ? "status" : "request")
                    + " line has no CRLF (RFC 9112 §2.1)"));
            return -1;
        }
        int lineEnd = contentEnd(b, lf, at);
        String line = latin1(b, at, lineEnd - at);
        Node msg = new Node("http", at, 0, line);
        Node first = new Node("http." + kind + ".first_line", at, lf + 1 - at, Printable.escape(b, at, lf + 1 - at));
        int status = -1;
        int sp1 = line.indexOf(' ');
        if (response) {
            int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            String code = sp1 < 0 ? "" : sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
            if (sp1 < 0 || !code.matches("[0-9]{3}")) {
                problems.add(new Problem(at, n - at, "not an HTTP status line: expected HTTP-version SP 3DIGIT SP "
                        + "reason (RFC 9112 §4), got \"" + Printable.escape(b, at, lineEnd - at) + "\""));
                return -1;
            }
            status = Integer.parseInt(code);
            first.add("http.response.version", at, sp1, line.substring(0, sp1));
            first.add("http.response.code", at + sp1 + 1, 3, code);
            if (REASONS.containsKey(status)) {
                first.add("http.response.code.desc", at + sp1 + 1, 3, REASONS.get(status));
            }
            if (sp2 >= 0) {
                first.add("http.response.phrase", at + sp2 + 1, line.length() - sp2 - 1, line.substring(sp2 + 1));
            }
        } else {
            int sp2 = line.lastIndexOf(' ');
            if (sp1 <= 0 || sp2 <= sp1 || !line.substring(0, sp1).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")
                    || !line.startsWith("HTTP/", sp2 + 1)) {
                problems.add(new Problem(at, n - at, "not an HTTP request line: expected method SP request-target SP "
                        + "HTTP-version (RFC 9112 §3), got \"" + Printable.escape(b, at, lineEnd - at) + "\""));
                return -1;
            }
            first.add("http.request.method", at, sp1, line.substring(0, sp1));
            first.add("http.request.uri", at + sp1 + 1, sp2 - sp1 - 1, line.substring(sp1 + 1, sp2));
            first.add("http.request.version", at + sp2 + 1, line.length() - sp2 - 1, line.substring(sp2 + 1));
        }
        msg.children.add(first);
        nodes.add(msg);

        // header section, RFC 9112 §5
        long contentLength = -1;
        String contentLengthText = "";
        boolean chunked = false;
        boolean upgradeWebsocket = false;
        boolean connectionUpgrade = false;
        int p = lf + 1;
        while (true) {
            lf = lineFeed(b, p, n);
            if (lf < 0) {
                problems.add(new Problem(p, n - p, "truncated: header section has no empty line (CRLF CRLF) "
                        + "after " + (p - at) + " bytes (RFC 9112 §2.1)"));
                msg.length = n - at;
                return -1;
            }
            lineEnd = contentEnd(b, lf, p);
            if (lineEnd == p) {
                msg.add("http.end_of_headers", p, lf + 1 - p, Printable.escape(b, p, lf + 1 - p));
                p = lf + 1;
                break;
            }
            String text = latin1(b, p, lineEnd - p);
            Node lineNode = msg.add("http." + kind + ".line", p, lf + 1 - p, Printable.escape(b, p, lf + 1 - p));
            int colon = text.indexOf(':');
            if (colon <= 0 || !text.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                problems.add(new Problem(p, lf + 1 - p, colon < 0
                        ? "header line without ':' (RFC 9112 §5): \"" + Printable.escape(b, p, lineEnd - p) + "\""
                        : "header name is not a token (RFC 9110 §5.1): \"" + Printable.escape(b, p, colon) + "\""));
                p = lf + 1;
                continue;
            }
            String name = text.substring(0, colon);
            int vStart = colon + 1;
            while (vStart < text.length() && (text.charAt(vStart) == ' ' || text.charAt(vStart) == '\t')) {
                vStart++;
            }
            int vEnd = text.length();
            while (vEnd > vStart && (text.charAt(vEnd - 1) == ' ' || text.charAt(vEnd - 1) == '\t')) {
                vEnd--;
            }
            String value = text.substring(vStart, vEnd);
            String lower = name.toLowerCase(Locale.ROOT);
            String known = KNOWN.get(lower);
            if (known != null) {
                Node dedicated = lineNode.add(known, p, lf + 1 - p, value);
                if (known.equals("http.content_length_header")) {
                    if (value.matches("[0-9]+")) {
                        // more than 18 digits is more than any input can hold: a claim, kept as text
                        String digits = value.replaceFirst("^0+(?=.)", "");
                        long cl = digits.length() <= 18 ? Long.parseLong(digits) : Long.MAX_VALUE;
                        if (contentLength >= 0 && cl != contentLength) {
                            problems.add(new Problem(p, lf + 1 - p, "conflicting Content-Length " + contentLength
                                    + " and " + cl + " (RFC 9112 §6.3)"));
                        }
                        contentLength = cl;
                        contentLengthText = digits;
                        dedicated.add("http.content_length", p, lf + 1 - p, value);
                    } else {
                        problems.add(new Problem(p, lf + 1 - p, "Content-Length is not a number: \"" + value + "\""));
                    }
                } else if (known.equals("http.http2_settings")) {
                    http2Settings(value, dedicated, p + vStart);
                }
            }
            lineNode.add("http.header.name", p, colon, name);
            lineNode.add("http.header.value", p + vStart, vEnd - vStart, value);
            String lv = value.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "transfer-encoding" -> chunked = lv.endsWith("chunked");
                case "upgrade" -> upgradeWebsocket |= lv.contains("websocket");
                case "connection" -> connectionUpgrade |= lv.contains("upgrade");
                default -> {
                }
            }
            p = lf + 1;
        }

        // message body, RFC 9112 §6
        if (response && status == 101) {
            msg.length = p - at;
            if (upgradeWebsocket) {
                websocket.read(b, p, n);
            } else if (p < n) {
                nodes.add(new Node("data.data", p, n - p, Hex.colons(b, p, n - p)));
            }
            return n;
        }
        if (!response && upgradeWebsocket && connectionUpgrade) {
            upgradeRequested = true;
        }
        if (response && (status / 100 == 1 || status == 204 || status == 304)) {
            msg.length = p - at;
            return p;
        }
        if (chunked) {
            int end = chunked(b, p, n, msg);
            msg.length = (end < 0 ? n : end) - at;
            return end;
        }
        if (contentLength >= 0 || response) {
            long want = contentLength >= 0 ? contentLength : n - p;
            if (want > n - p) {
                problems.add(new Problem(p, n - p, contentLength == Long.MAX_VALUE
                        ? "truncated: Content-Length " + contentLengthText + " needs more bytes than the " + (n - p)
                                + " present"
                        : "truncated: Content-Length " + contentLength + " needs " + (want - (n - p)) + " more bytes"));
                msg.length = n - at;
                return -1;
            }
            if (want > 0) {
                msg.add("http.file_data", p, (int) want, latin1(b, p, (int) want));
            }
            p += (int) want;
        }
        msg.length = p - at;
        return p;
    }

    /**
     * The {@code HTTP2-Settings} header of an {@code Upgrade: h2c} request (RFC 9113 §3.2.1, RFC 7540
     * §3.2.1): a SETTINGS frame payload in base64url without padding, decoded into the same
     * {@code http2.settings} fields as a SETTINGS frame; each 6-byte parameter is 8 characters.
     *
     * <pre>
     * HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA   max concurrent streams 100, initial window 33554432, push 0
     * </pre>
     */
    private void http2Settings(String value, Node header, int at) {
        byte[] payload;
        try {
            payload = java.util.Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(at, value.length(), "HTTP2-Settings is not base64url (RFC 9113 §3.2.1): " + e.getMessage()));
            return;
        }
        Http2Dissector.parameters(payload, header, at, 6, problems);
    }

    /** A chunked body (RFC 9112 §7.1); returns the offset after it, or -1. */
    private int chunked(byte[] b, int p, int n, Node msg) {
        Node body = msg.add("http.chunked", p, 0, "");
        StringBuilder decoded = new StringBuilder();
        try {
            while (true) {
                int lf = lineFeed(b, p, n);
                if (lf < 0) {
                    problems.add(new Problem(p, n - p, "truncated: chunk size line has no CRLF (RFC 9112 §7.1)"));
                    return -1;
                }
                int lineEnd = contentEnd(b, lf, p);
                String sizeText = latin1(b, p, lineEnd - p);
                int semi = sizeText.indexOf(';');
                String hex = (semi < 0 ? sizeText : sizeText.substring(0, semi)).trim();
                String digits = hex.replaceFirst("^0+(?=.)", "");
                if (hex.matches("[0-9A-Fa-f]+") && digits.length() > 7) {
                    // over 0xFFFFFFF bytes: more than any input holds, so a claim, never allocated
                    String claimed = digits.length() <= 16
                            ? Long.toUnsignedString(Long.parseUnsignedLong(digits, 16)) : "over 2^64";
                    problems.add(new Problem(p, n - p, "truncated: chunk size " + Printable.escape(b, p, lineEnd - p)
                            + " claims " + claimed + " bytes, have " + (n - lf - 1) + " (RFC 9112 §7.1)"));
                    return -1;
                }
                if (!hex.matches("[0-9A-Fa-f]+")) {
                    problems.add(new Problem(p, n - p, "chunk size is not a hex number: \""
                            + Printable.escape(b, p, lineEnd - p) + "\" (RFC 9112 §7.1)"));
                    return -1;
                }
                int size = Integer.parseInt(digits, 16);
                int sizeLen = lf + 1 - p;
                if (size == 0) {
                    Node last = body.add("http.last_chunk", p, sizeLen, "End of chunked encoding");
                    last.add("http.chunk_size", p, sizeLen, "0");
                    p = lf + 1;
                    return trailer(b, p, n, body);
                }
                int dataAt = lf + 1;
                if (n - dataAt < size) {
                    problems.add(new Problem(p, n - p, "truncated: chunk of " + size + " bytes, have " + (n - dataAt)));
                    return -1;
                }
                Node chunk = body.add("http.chunk", p, sizeLen + size, "Data chunk (" + size + " octets)");
                chunk.add("http.chunk_size", p, sizeLen, Integer.toString(size));
                chunk.add("http.chunk_data", dataAt, size, Hex.colons(b, dataAt, size));
                decoded.append(latin1(b, dataAt, size));
                int after = dataAt + size;
                int boundary = after + 1 < n && b[after] == '\r' && b[after + 1] == '\n' ? 2
                        : after < n && b[after] == '\n' ? 1 : 0;
                if (boundary == 0) {
                    problems.add(new Problem(after, Math.min(2, n - after), after >= n
                            ? "truncated: chunk data needs a CRLF after it"
                            : "chunk data of " + size + " bytes is not followed by CRLF (RFC 9112 §7.1)"));
                    return -1;
                }
                chunk.add("http.chunk_boundary", after, boundary, Hex.colons(b, after, boundary));
                chunk.length += boundary;
                p = after + boundary;
            }
        } finally {
            body.length = Math.max(0, lastEnd(body) - body.offset);
            body.value = decoded.toString();
        }
    }

    private static int lastEnd(Node body) {
        int end = body.offset;
        for (Node c : body.children) {
            end = Math.max(end, c.offset + c.length);
        }
        return end;
    }

    /** Trailer section after the last chunk, up to its empty line. */
    private int trailer(byte[] b, int p, int n, Node body) {
        while (true) {
            int lf = lineFeed(b, p, n);
            if (lf < 0) {
                problems.add(new Problem(p, n - p, "truncated: chunked body needs an empty line after the last chunk"));
                return -1;
            }
            int lineEnd = contentEnd(b, lf, p);
            if (lineEnd == p) {
                body.add("http.chunked_end", p, lf + 1 - p, Printable.escape(b, p, lf + 1 - p));
                return lf + 1;
            }
            body.add("http.chunked_trailer_part", p, lf + 1 - p, latin1(b, p, lineEnd - p));
            p = lf + 1;
        }
    }

    private static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}

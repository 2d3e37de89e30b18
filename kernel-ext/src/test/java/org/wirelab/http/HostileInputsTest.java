package org.wirelab.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wirelab.wire.Direction.SERVER_TO_CLIENT;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.tap.Tap;
import org.wirelab.ws.WebSocketDemoServer;

/**
 * Every malformed or hostile input of issue #12, as literal bytes from a raw socket, straight to the
 * server and through a tap in front of it: the exact answer (status line and body, or close frame),
 * how the connection ended, the tap's recording of the same bytes, then another client served.
 * Each case prints one table row ({@code input → answer, route}) into the test output.
 */
class HostileInputsTest {

    private static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
            + "connection: upgrade\r\nsec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    private static final String DATE = "date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n";
    private static final String BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=US-ASCII\r\n";

    enum Route { DIRECT, TAP }

    enum Server {
        HTTP(() -> HttpDemoServer.newBuilder().headTimeout(Duration.ofMillis(300)).start().address()),
        WS(() -> WebSocketDemoServer.start().address()),
        WS_MAX_125(() -> WebSocketDemoServer.newBuilder().maxFramePayload(125).start().address());

        final Supplier<InetSocketAddress> start;

        Server(Supplier<InetSocketAddress> start) {
            this.start = start;
        }

        boolean webSocket() {
            return this != HTTP;
        }
    }

    /**
     * One hostile input: sent after a completed opening handshake when {@code upgraded}; {@code answer}
     * is what the client reads after that (HTTP with its Date as {@code date: <date>}), {@code end} how the
     * connection then ends.
     */
    record Case(String behaviour, Server server, boolean upgraded, String input, String answer, String end) {
        @Override
        public String toString() {
            return behaviour;
        }
    }

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static String bad400(String text) {
        return BAD_REQUEST + "content-length: " + (text.length() + 1) + "\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                + text + "\n";
    }

    // A close frame as sent by the server (unmasked, FIN): 88, length, code, reason.
    private static String close(String codeHex, String reason) {
        return bytes("88" + String.format("%02x", 2 + reason.length()) + codeHex) + reason;
    }

    private static String bytes(String hex) {
        return new String(HexFormat.of().parseHex(hex.replace(" ", "")), ISO_8859_1);
    }

    // The UTF-8 bytes of text, one char per byte, as the answers are read.
    private static String utf8(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), ISO_8859_1);
    }

    private static String mask0(String opcodeHex, String payload) {
        // FIN/opcode byte, MASK bit with a 7-bit length, masking key 00 00 00 00 (payload unchanged)
        return bytes(opcodeHex + String.format("%02x", 0x80 | payload.length()) + "00000000") + payload;
    }

    static Stream<Arguments> cases() {
        StringBuilder fiveThousand = new StringBuilder("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 5000; i++) {
            fiveThousand.append("X-").append(i).append(": v\r\n");
        }
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        StringBuilder pipelined = new StringBuilder();
        StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            String request = "GET /echo?n=" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (i == 200 ? "Connection: close\r\n" : "")
                    + "\r\n";
            pipelined.append(request);
            answers.append("HTTP/1.1 200 OK\r\ncontent-type: message/http\r\ncontent-length: ").append(request.length())
                    .append("\r\n").append(i == 200 ? "connection: close\r\n" : "").append("date: <date>\r\n\r\n").append(request);
        }
        List<Case> all = List.of(
                new Case("the start of a TLS ClientHello instead of HTTP is answered 400 and closed", Server.HTTP, false,
                        bytes("16030100a5010000a10303") + "\r\n\r\n",
                        bad400("bad request: Line Feed must be preceded by Carriage Return when terminating HTTP start- "
                                + "and header field-lines"), "FIN"),
                new Case("a line of text instead of a request line is answered 400 and closed", Server.HTTP, false,
                        "hello there\r\n\r\n", bad400("bad request: text is empty (possibly HTTP/0.9)"), "FIN"),
                new Case("a 64 KiB header line is answered 400 and closed", Server.HTTP, false,
                        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(65536) + "\r\n\r\n",
                        bad400("bad request: HTTP header is larger than 8192 bytes."), "FIN"),
                new Case("5000 header fields are answered 400 and closed", Server.HTTP, false, fiveThousand + "\r\n",
                        bad400("bad request: HTTP header is larger than 8192 bytes."), "FIN"),
                new Case("Transfer-Encoding with Content-Length is answered 400 and the request in the body is never answered",
                        Server.HTTP, false, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (5 + smuggled.length())
                                + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
                        bad400("bad request: Content-Length are not allowed in HTTP/1.1 messages that contains a "
                                + "Transfer-Encoding header."), "FIN"),
                new Case("a chunk size not in hex is answered 400 and closed", Server.HTTP, false,
                        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
                        bad400("bad request: Invalid character in chunk size"), "FIN"),
                new Case("two different Content-Length values are answered 400 and closed", Server.HTTP, false,
                        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nhello",
                        bad400("bad request: Multiple Content-Length values found: [3, 5]"), "FIN"),
                new Case("a request with bare LF line ends is answered 400 and closed", Server.HTTP, false,
                        "GET /delay/0 HTTP/1.1\nHost: 127.0.0.1\n\n",
                        bad400("bad request: Line Feed must be preceded by Carriage Return when terminating HTTP start- "
                                + "and header field-lines"), "FIN"),
                new Case("200 pipelined requests are all answered in order", Server.HTTP, false, pipelined.toString(),
                        answers.toString(), "FIN"),
                new Case("an unmasked client frame gets close 1002", Server.WS, true, bytes("810548656c6c6f"),
                        close("03ea", "received a frame that is not masked as expected"), "FIN"),
                new Case("reserved data opcode 0x3 gets close 1002", Server.WS, true, mask0("83", ""),
                        close("03ea", "data frame using reserved opcode 3"), "FIN"),
                new Case("reserved control opcode 0xB gets close 1002", Server.WS, true, mask0("8b", ""),
                        close("03ea", "control frame using reserved opcode 11"), "FIN"),
                new Case("RSV1 without an extension gets close 1002", Server.WS, true, mask0("c1", "A"),
                        close("03ea", "RSV != 0 and no extension negotiated, RSV:4"), "FIN"),
                new Case("invalid UTF-8 in a text frame gets close 1007", Server.WS, true, mask0("81", bytes("c328")),
                        close("03ef", "Invalid payload data"), "FIN"),
                new Case("a ping without FIN gets close 1002", Server.WS, true, mask0("09", ""),
                        close("03ea", "fragmented control frame"), "FIN"),
                new Case("a 126-byte ping gets close 1002", Server.WS, true,
                        bytes("89fe007e00000000") + "p".repeat(126),
                        close("03ea", "control frame with payload length > 125 octets"), "FIN"),
                new Case("a continuation frame with no message to continue gets close 1002", Server.WS, true,
                        mask0("80", "A"), close("03ea", "received continuation data frame outside fragmented message"), "FIN"),
                new Case("a close frame with a 1-byte payload gets close 1002", Server.WS, true, mask0("88", bytes("03")),
                        close("03ea", "received close control frame with payload len 1"), "FIN"),
                new Case("a frame over maxFramePayload gets close 1009", Server.WS_MAX_125, true,
                        bytes("82fe007e00000000") + "b".repeat(126), close("03f1", "Max frame length of 125 has been exceeded."), "FIN"),
                new Case("a handshake without Sec-WebSocket-Key is answered 400", Server.WS, false,
                        HANDSHAKE.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
                        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 51\r\n"
                                + "connection: close\r\n\r\nnot a WebSocket request: missing Sec-WebSocket-Key\n", "FIN"),
                new Case("a handshake for version 8 is answered 426 naming version 13", Server.WS, false,
                        HANDSHAKE.replace("Version: 13", "Version: 8"),
                        "HTTP/1.1 426 Upgrade Required\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 77\r\n"
                                + "connection: close\r\nsec-websocket-version: 13\r\n\r\n"
                                + utf8("unsupported Sec-WebSocket-Version: 8; this server speaks 13 (RFC 6455 §4.4)\n"), "FIN"));
        List<Arguments> args = new ArrayList<>();
        for (Case c : all) {
            for (Route r : Route.values()) {
                args.add(Arguments.of(c, r));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void hostileInputGetsItsAnswerAndOthersAreStillServed(Case c, Route route) throws Exception {
        InetSocketAddress server = c.server().start.get();
        Tap tap = route == Route.TAP ? Tap.to(server) : null;
        int port = tap == null ? server.getPort() : tap.port();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String end;
        try (var raw = new RawHttp(port)) {
            raw.socket.setSoTimeout(10_000);
            if (c.upgraded()) {
                raw.send(HANDSHAKE);
                String head = raw.head();
                assertEquals(SWITCHING, head);
                received.writeBytes(head.getBytes(ISO_8859_1));
            }
            // written from another thread: the server may answer and close before reading all of it
            CompletableFuture<Void> sending = send(raw.out, c.input().getBytes(ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            end = readToEnd(raw, answer);
            sending.join();
            received.writeBytes(answer.toByteArray());
            String got = answer.toString(ISO_8859_1).replaceAll(DATE, "date: <date>\r\n");
            row(c, route, got, end);
            assertEquals(c.answer(), got);
            assertEquals(c.end(), end);
        }
        if (tap != null) {
            tap.awaitClosed();
            assertArrayEquals(received.toByteArray(), tap.recording().connection(1).stream(SERVER_TO_CLIENT),
                    "the tap recorded the bytes the client received");
        }
        servesAnother(c.server(), port);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void eightHundredIdleConnectionsLeaveOthersServedAndStayOpen(Route route) throws Exception {
        var server = HttpDemoServer.start();
        Tap tap = route == Route.TAP ? Tap.to(server.address()) : null;
        int port = tap == null ? server.port() : tap.port();
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 800; i++) {
                idle.add(new RawHttp(port));
            }
            servesAnother(Server.HTTP, port);
            // each idle connection is still open and its first answer is the one to its first request
            for (RawHttp raw : idle) {
                raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            }
            for (RawHttp raw : idle) {
                assertEquals("HTTP/1.1 200 OK", raw.response().statusLine());
            }
        } finally {
            for (RawHttp raw : idle) {
                raw.close();
            }
        }
        System.out.printf("| %-62s | %-56s | %-6s | %s |%n", "800 idle connections", "(nothing sent)", route,
                "no answer, none closed; another client served; each then answered 200");
    }

    private static CompletableFuture<Void> send(OutputStream out, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // the server closed while we were still sending: its answer is what the test reads
            }
        });
    }

    // Reads until end of stream ("FIN") or a reset ("RST"); the socket timeout only guards against a hang.
    private static String readToEnd(RawHttp raw, ByteArrayOutputStream into) throws IOException {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = raw.in.read(buf)) >= 0) {
                into.write(buf, 0, n);
            }
            return "FIN";
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return "RST";
        }
    }

    private static void servesAnother(Server server, int port) throws IOException {
        try (var raw = new RawHttp(port)) {
            if (server.webSocket()) {
                raw.send(HANDSHAKE);
                assertEquals(SWITCHING, raw.head());
                raw.out.write(mask0("81", "Hello").getBytes(ISO_8859_1));
                assertEquals("81 05 48 65 6c 6c 6f", HexFormat.ofDelimiter(" ").formatHex(raw.in.readNBytes(7)));
            } else {
                raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertEquals("HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=US-ASCII\r\ncontent-length: 13\r\n"
                        + "connection: close\r\ndate: <date>\r\n\r\ndelayed 0 ms\n",
                        raw.rest().replaceAll(DATE, "date: <date>\r\n"));
            }
        }
    }

    // One row of the table the closing note quotes: input → answer, route.
    private static void row(Case c, Route route, String answer, String end) {
        String input = c.behaviour().split(" (is|are|gets) ", 2)[0];
        System.out.printf("| %-62s | %-56s | %-6s | %s, then %s |%n", input, shown(c.input(), 44) + " (" + c.input().length()
                + " B)", route, summary(c, answer), end);
    }

    private static String summary(Case c, String answer) {
        if (c.server().webSocket() && c.upgraded()) {
            byte[] b = answer.getBytes(ISO_8859_1);
            String hex = HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(4, b.length));
            return b.length < 4 ? "[" + hex + "]" : hex + " \"" + answer.substring(4) + "\"";
        }
        int responses = (int) java.util.regex.Pattern.compile("(?m)^HTTP/1\\.1 \\d{3} ").matcher(answer).results().count();
        if (responses > 1) {
            return responses + " responses in request order, each " + answer.substring(0, answer.indexOf("\r\n"));
        }
        int body = answer.indexOf("\r\n\r\n");
        return answer.isEmpty() ? "nothing" : answer.substring(0, answer.indexOf("\r\n")) + " \""
                + shown(body < 0 ? "" : answer.substring(body + 4), 120) + "\"";
    }

    private static String shown(String s, int max) {
        String escaped = org.wirelab.wire.Printable.escape(s.getBytes(ISO_8859_1), 0, s.length());
        return escaped.length() <= max ? escaped : escaped.substring(0, max - 3) + "...";
    }
}

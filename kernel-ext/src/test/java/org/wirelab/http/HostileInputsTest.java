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

    // A started server: where it listens and what it lists as refused.
    record Started(InetSocketAddress address, Supplier<List<String>> refusals) {
    }

    enum Server {
        HTTP(() -> {
            var s = HttpDemoServer.start();
            return new Started(s.address(), s::refusals);
        }),
        WS(() -> {
            var s = WebSocketDemoServer.start();
            return new Started(s.address(), s::refusals);
        }),
        WS_MAX_125(() -> {
            var s = WebSocketDemoServer.newBuilder().maxFramePayload(125).start();
            return new Started(s.address(), s::refusals);
        });

        final Supplier<Started> start;

        Server(Supplier<Started> start) {
            this.start = start;
        }

        boolean webSocket() {
            return this != HTTP;
        }
    }

    /**
     * One hostile input: sent after a completed opening handshake when {@code upgraded}; {@code answer}
     * is what the client reads after that (HTTP with its Date as {@code date: <date>}), {@code end} how the
     * connection then ends, {@code refused} what the server lists in its refusals (none when null).
     */
    record Case(String behaviour, Server server, boolean upgraded, String input, String answer, String end, String refused) {
        @Override
        public String toString() {
            return behaviour;
        }
    }

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    // An HTTP request the decoder rejects: 400 with "bad request: why", then FIN; listed as refused.
    private static Case http400(String behaviour, String input, String why) {
        String body = "bad request: " + why + "\n";
        return new Case(behaviour, Server.HTTP, false, input, BAD_REQUEST + "content-length: " + body.length()
                + "\r\nconnection: close\r\ndate: <date>\r\n\r\n" + body, "FIN", "connection 1, request 1: 400, " + why);
    }

    // A frame that fails the WebSocket connection: the server's close frame with codeHex (status code) and reason.
    private static Case wsClose(String behaviour, Server server, String input, String codeHex, String reason) {
        return new Case(behaviour, server, true, input, close(codeHex, reason), "FIN",
                "connection 1: close " + Integer.parseInt(codeHex, 16) + ", " + reason);
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
        String bareLf = "Line Feed must be preceded by Carriage Return when terminating HTTP start- and header field-lines";
        List<Case> all = List.of(
                http400("the start of a TLS ClientHello instead of HTTP is answered 400 and closed",
                        bytes("16030100a5010000a10303") + "\r\n\r\n", bareLf),
                http400("a line of text instead of a request line is answered 400 and closed", "hello there\r\n\r\n",
                        "text is empty (possibly HTTP/0.9)"),
                http400("a 64 KiB header line is answered 400 and closed",
                        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(65536) + "\r\n\r\n",
                        "HTTP header is larger than 8192 bytes."),
                http400("5000 header fields are answered 400 and closed", fiveThousand + "\r\n",
                        "HTTP header is larger than 8192 bytes."),
                http400("Transfer-Encoding with Content-Length is answered 400 and the request in the body is never answered",
                        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (5 + smuggled.length())
                                + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
                        "Content-Length are not allowed in HTTP/1.1 messages that contains a Transfer-Encoding header."),
                http400("a chunk size not in hex is answered 400 and closed",
                        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
                        "Invalid character in chunk size"),
                http400("two different Content-Length values are answered 400 and closed",
                        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nhello",
                        "Multiple Content-Length values found: [3, 5]"),
                http400("a request with bare LF line ends is answered 400 and closed", "GET /delay/0 HTTP/1.1\nHost: 127.0.0.1\n\n",
                        bareLf),
                new Case("200 pipelined requests are all answered in order", Server.HTTP, false, pipelined.toString(),
                        answers.toString(), "FIN", null),
                wsClose("an unmasked client frame gets close 1002", Server.WS, bytes("810548656c6c6f"),
                        "03ea", "received a frame that is not masked as expected"),
                wsClose("reserved data opcode 0x3 gets close 1002", Server.WS, mask0("83", ""),
                        "03ea", "data frame using reserved opcode 3"),
                wsClose("reserved control opcode 0xB gets close 1002", Server.WS, mask0("8b", ""),
                        "03ea", "control frame using reserved opcode 11"),
                wsClose("RSV1 without an extension gets close 1002", Server.WS, mask0("c1", "A"),
                        "03ea", "RSV != 0 and no extension negotiated, RSV:4"),
                wsClose("invalid UTF-8 in a text frame gets close 1007", Server.WS, mask0("81", bytes("c328")),
                        "03ef", "Invalid payload data"),
                wsClose("a ping without FIN gets close 1002", Server.WS, mask0("09", ""),
                        "03ea", "fragmented control frame"),
                wsClose("a 126-byte ping gets close 1002", Server.WS, bytes("89fe007e00000000") + "p".repeat(126),
                        "03ea", "control frame with payload length > 125 octets"),
                wsClose("a continuation frame with no message to continue gets close 1002", Server.WS, mask0("80", "A"),
                        "03ea", "received continuation data frame outside fragmented message"),
                wsClose("a close frame with a 1-byte payload gets close 1002", Server.WS, mask0("88", bytes("03")),
                        "03ea", "received close control frame with payload len 1"),
                wsClose("a close frame with status 1005 (which no endpoint may send) gets close 1002", Server.WS,
                        mask0("88", bytes("03ed")), "03ea", "Invalid close frame getStatus code: 1005"),
                wsClose("a frame over maxFramePayload gets close 1009", Server.WS_MAX_125,
                        bytes("82fe007e00000000") + "b".repeat(126), "03f1", "Max frame length of 125 has been exceeded."),
                new Case("a handshake without Sec-WebSocket-Key is answered 400", Server.WS, false,
                        HANDSHAKE.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
                        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 51\r\n"
                                + "connection: close\r\n\r\nnot a WebSocket request: missing Sec-WebSocket-Key\n", "FIN",
                        "connection 1: 400, not a WebSocket request: missing Sec-WebSocket-Key"),
                new Case("a handshake for version 8 is answered 426 naming version 13", Server.WS, false,
                        HANDSHAKE.replace("Version: 13", "Version: 8"),
                        "HTTP/1.1 426 Upgrade Required\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 77\r\n"
                                + "connection: close\r\nsec-websocket-version: 13\r\n\r\n"
                                + utf8("unsupported Sec-WebSocket-Version: 8; this server speaks 13 (RFC 6455 §4.4)\n"), "FIN",
                        "connection 1: 426, unsupported Sec-WebSocket-Version: 8; this server speaks 13 (RFC 6455 §4.4)"));
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
        Started server = c.server().start.get();
        Tap tap = route == Route.TAP ? Tap.to(server.address()) : null;
        int port = tap == null ? server.address().getPort() : tap.port();
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
        // listed before the answer was written, so already there when the client has read it
        assertEquals(c.refused() == null ? List.of() : List.of(c.refused()), server.refusals().get());
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

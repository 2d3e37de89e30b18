package org.wirelab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.tap.Tap;

/** Raw sockets send exact bytes to the demo server, directly and through a tap; answers are asserted byte for byte. */
class HostilePeerTest {

    private static final Pattern DATE = Pattern.compile(
            "date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    // The port a client dials: the server's own, or a tap's in front of it.
    private static int port(HttpDemoServer server, boolean throughTap) {
        return throughTap ? Tap.to(server.address()).port() : server.port();
    }

    // The answer with its one Date field (RFC 9110 §5.6.7 IMF-fixdate) shown as <date>.
    private static String dated(String answer) {
        var m = DATE.matcher(answer);
        assertTrue(m.find(), "no IMF-fixdate date field in: " + answer);
        return m.replaceFirst("date: <date>\r\n");
    }

    private static void servesAnother(int port) throws IOException {
        try (var raw = new RawHttp(port)) {
            raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=US-ASCII\r\ncontent-length: 13\r\n"
                    + "connection: close\r\ndate: <date>\r\n\r\ndelayed 0 ms\n", dated(raw.rest()));
        }
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void http11RequestWithoutHostIsAnswered400AndClosed(boolean throughTap) throws IOException {
        var server = HttpDemoServer.start();
        int port = port(server, throughTap);
        try (var raw = new RawHttp(port)) {
            raw.send("GET / HTTP/1.1\r\n\r\n");
            assertEquals("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                    + "content-length: 66\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                    + "bad request: HTTP/1.1 request without Host (RFC 9112 section 3.2)\n", dated(raw.rest()));
        }
        assertEquals("connection 1, request 1: 400, HTTP/1.1 request without Host (RFC 9112 §3.2)",
                server.refusals().get(0));
        assertTrue(server.toString().endsWith(", 1 refused, last: " + server.refusals().get(0)), server.toString());
        assertEquals(1, server.refusalCount());
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void http11RequestWithTwoHostFieldsIsAnswered400(boolean throughTap) throws IOException {
        var server = HttpDemoServer.start();
        int port = port(server, throughTap);
        try (var raw = new RawHttp(port)) {
            raw.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
            assertEquals("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                    + "content-length: 72\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                    + "bad request: HTTP/1.1 request with 2 Host fields (RFC 9112 section 3.2)\n", dated(raw.rest()));
        }
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void http10RequestWithoutHostIsServed(boolean throughTap) throws IOException {
        var server = HttpDemoServer.start();
        try (var raw = new RawHttp(port(server, throughTap))) {
            raw.send("GET /delay/0 HTTP/1.0\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=US-ASCII\r\ncontent-length: 13\r\n"
                    + "connection: close\r\ndate: <date>\r\n\r\ndelayed 0 ms\n", dated(raw.rest()));
        }
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void unfinishedHeadIsAnswered408AfterHeadTimeout(boolean throughTap) throws IOException {
        var server = HttpDemoServer.newBuilder().headTimeout(Duration.ofMillis(200)).start();
        int port = port(server, throughTap);
        try (var raw = new RawHttp(port)) {
            raw.send("GET / HTTP/1.1\r\nHo");
            assertEquals("HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                    + "content-length: 37\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                    + "request head incomplete after 200 ms\n", dated(raw.rest()));
        }
        assertEquals("connection 1: 408, request head incomplete after 200 ms", server.refusals().get(0));
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void headSentOneByteAtATimeIsCutOffAtHeadTimeout(boolean throughTap) throws Exception {
        var server = HttpDemoServer.newBuilder().headTimeout(Duration.ofMillis(300)).start();
        int port = port(server, throughTap);
        byte[] slow = "GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var raw = new RawHttp(port)) {
            int sent = 0;
            // one byte every 50 ms, stopping as soon as an answer is there (at most 90 bytes, 4.5 s)
            while (sent < slow.length && raw.in.available() == 0) {
                raw.out.write(slow[sent++]);
                raw.out.flush();
                Thread.sleep(50);
            }
            assertTrue(sent < slow.length, "no answer after " + sent + " bytes");
            assertEquals("HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                    + "content-length: 37\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                    + "request head incomplete after 300 ms\n", dated(raw.rest()));
        }
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void bodyShorterThanContentLengthIsAnswered408AfterBodyTimeout(boolean throughTap) throws IOException {
        var server = HttpDemoServer.newBuilder().bodyTimeout(Duration.ofMillis(200)).start();
        int port = port(server, throughTap);
        try (var raw = new RawHttp(port)) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc");
            assertEquals("HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                    + "content-length: 67\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                    + "request body incomplete after 200 ms (3 of 10 body bytes received)\n", dated(raw.rest()));
        }
        assertEquals("connection 1: 408, request body incomplete after 200 ms (3 of 10 body bytes received)",
                server.refusals().get(0));
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void idleConnectionBetweenRequestsIsNotTimedOut(boolean throughTap) throws Exception {
        var server = HttpDemoServer.newBuilder().headTimeout(Duration.ofMillis(100))
                .bodyTimeout(Duration.ofMillis(100)).start();
        try (var raw = new RawHttp(port(server, throughTap))) {
            raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", raw.response().statusLine());
            Thread.sleep(400);
            raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", raw.response().statusLine());
        }
        assertEquals(java.util.List.of(), server.refusals());
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void connectionPastMaxConnectionsIsAnswered503WhileOthersAreServed(boolean throughTap) throws Exception {
        var server = HttpDemoServer.newBuilder().maxConnections(2).start();
        int port = port(server, throughTap);
        try (var first = new RawHttp(port); var second = new RawHttp(port)) {
            for (var raw : java.util.List.of(first, second)) {
                raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertEquals("HTTP/1.1 200 OK", raw.response().statusLine());
            }
            try (var third = new RawHttp(port)) {
                assertEquals("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                        + "content-length: 59\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                        + "too many connections: this server serves at most 2 at once\n", dated(third.rest()));
            }
            assertTrue(server.refusals().get(0).endsWith(": 503, already 2 open (maxConnections 2)"),
                    server.refusals().toString());
            first.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", first.response().statusLine());
        }
        // both closed: a new client is served once the server has seen them go
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (var raw = new RawHttp(port)) {
                raw.send("GET /delay/0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                String answer = raw.rest();
                if (answer.startsWith("HTTP/1.1 200 OK") || System.nanoTime() > deadline) {
                    assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertEquals(2, server.connections() - 1, "the refused connection is not counted as served");
    }
}

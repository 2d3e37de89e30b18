package org.wirelab.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.testing.ProcessResources;
import org.wirelab.testing.Tools;

class HttpDemoServerTest {

    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 5 s");
    }

    @Test
    void http11PersistsByDefault() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send(get("/"));
            var first = raw.response();
            raw.send(get("/echo"));
            var second = raw.response();
            assertEquals("HTTP/1.1 200 OK", first.statusLine());
            assertNull(first.header("Connection"), "a persistent 1.1 response needs no Connection header");
            assertEquals("HTTP/1.1 200 OK", second.statusLine());
            assertEquals(List.of(2), server.requestsPerConnection());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" + get("/echo"));
            var response = raw.response();
            assertEquals("close", response.header("Connection"));
            assertEquals("", raw.rest(), "closed after the response; the request after close is not answered");
            assertEquals(1, server.connections());
        }
    }

    @Test
    void http10ClosesAfterEachResponse() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send("GET /echo HTTP/1.0\r\n\r\n");
            var response = raw.response();
            assertEquals("HTTP/1.1 200 OK", response.statusLine());
            assertEquals("close", response.header("Connection"));
            assertEquals("GET /echo HTTP/1.0\r\n\r\n", response.body());
            assertEquals("", raw.rest());
        }
    }

    @Test
    void http10KeepAliveIsHonoured() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("keep-alive", raw.response().header("Connection"));
            raw.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", raw.response().body());
            assertEquals(List.of(2), server.requestsPerConnection());
        }
    }

    @Test
    void keepAliveFalseClosesEvenHttp11() throws IOException {
        try (var server = HttpDemoServer.newBuilder().keepAlive(false).start(); var raw = new RawHttp(server)) {
            raw.send(get("/"));
            assertEquals("close", raw.response().header("Connection"));
            assertEquals("", raw.rest());
        }
    }

    @Test
    void pipelinedResponsesComeBackInRequestOrder() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send(get("/delay/300") + get("/echo"));
            assertEquals("delayed 300 ms\n", raw.response().body());
            assertEquals(get("/echo"), raw.response().body());
            assertEquals(List.of(2), server.requestsPerConnection());
        }
    }

    @Test
    void configuredPathDelayHoldsBackTheNextPipelinedResponse() throws IOException {
        try (var server = HttpDemoServer.newBuilder().delay("/", Duration.ofMillis(300)).start();
                var raw = new RawHttp(server)) {
            raw.send(get("/") + get("/nowhere"));
            var first = raw.response();
            var second = raw.response();
            assertTrue(first.body().startsWith("wirelab HTTP demo server"), first.body());
            assertEquals("HTTP/1.1 404 Not Found", second.statusLine());
            assertEquals("no route for /nowhere\n", second.body());
        }
    }

    @Test
    void chunkedBodyMatchesRfcVector() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send(get("/chunked"));
            String head = raw.head();
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.toLowerCase().contains("\r\ntransfer-encoding: chunked\r\n"), head);
            String vector = "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
            assertEquals(vector, raw.bytes(vector.length()));
            raw.send(get("/echo"));
            assertEquals("HTTP/1.1 200 OK", raw.response().statusLine(), "the connection is still usable");
        }
    }

    @Test
    void chunkedWithSpacingWritesTheSameChunksApartAndHoldsTheNextPipelinedResponse() throws Exception {
        try (var server = HttpDemoServer.start(); var tap = org.wirelab.tap.Tap.to(server.address());
                var raw = new RawHttp(tap.port())) {
            raw.send(get("/chunked/150") + "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String head = raw.head();
            assertTrue(head.toLowerCase().contains("\r\ntransfer-encoding: chunked\r\n"), head);
            String vector = "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
            assertEquals(vector, raw.bytes(vector.length()));
            assertTrue(raw.rest().contains("wirelab HTTP demo server"), "the route list came after the last chunk");
            raw.close();
            tap.awaitClosed();
            // each piece left in its own write, at least 150 ms after the one before (a timer never fires early)
            var down = tap.recording().connection(1).events(org.wirelab.wire.Direction.SERVER_TO_CLIENT).stream()
                    .filter(e -> e.kind() == org.wirelab.tap.TapEvent.Kind.DATA).toList();
            long wiki = down.stream().filter(e -> new String(e.bytes(), ISO_8859_1).contains("4\r\nWiki\r\n")).findFirst().orElseThrow().nanos();
            long pedia = down.stream().filter(e -> new String(e.bytes(), ISO_8859_1).startsWith("5\r\npedia\r\n")).findFirst().orElseThrow().nanos();
            long last = down.stream().filter(e -> new String(e.bytes(), ISO_8859_1).startsWith("E\r\n in")).findFirst().orElseThrow().nanos();
            assertTrue(pedia - wiki >= 150_000_000L && last - pedia >= 150_000_000L, (pedia - wiki) + " ns, " + (last - pedia) + " ns");
        }
    }

    @Test
    void badChunkSpacingIs400() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send(get("/chunked/soon"));
            var response = raw.response();
            assertEquals("HTTP/1.1 400 Bad Request", response.statusLine());
            assertEquals("bad spacing: 'soon' is not 0..60000 milliseconds\n", response.body());
        }
    }

    @Test
    void chunkedBodyDecodesForTheJdkClient() throws Exception {
        try (var server = HttpDemoServer.start()) {
            HttpResponse<String> response = HTTP11.send(HttpRequest.newBuilder(server.uri("/chunked")).build(),
                    BodyHandlers.ofString(ISO_8859_1));
            assertEquals("Wikipedia in\r\n\r\nchunks.", response.body());
        }
    }

    @Test
    void chunkedToHttp10IsCloseDelimited() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send("GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String head = raw.head();
            assertFalse(head.toLowerCase().contains("transfer-encoding"), head);
            assertTrue(head.toLowerCase().contains("\r\nconnection: close\r\n"), head);
            assertEquals("Wikipedia in\r\n\r\nchunks.", raw.rest());
        }
    }

    @Test
    void echoAnswersTheRequestHeadAsReceived() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            String request = "POST /echo?x=1 HTTP/1.1\r\nHost: example.test\r\nX-Demo: A b\r\nContent-Length: 5\r\n\r\nhello";
            raw.send(request);
            var response = raw.response();
            assertEquals("message/http", response.header("Content-Type"));
            assertEquals(request, response.body());
        }
    }

    @Test
    void takeRequestReturnsWhatTheJdkClientSent() throws Exception {
        try (var server = HttpDemoServer.start()) {
            HTTP11.send(HttpRequest.newBuilder(server.uri("/echo?q=1")).header("X-Demo", "yes")
                    .POST(HttpRequest.BodyPublishers.ofString("abc")).build(), BodyHandlers.discarding());
            RecordedRequest request = server.takeRequest();
            assertEquals("POST", request.method());
            assertEquals("/echo?q=1", request.target());
            assertEquals("HTTP/1.1", request.version());
            assertEquals(java.util.Optional.of("yes"), request.header("x-demo"));
            assertEquals(java.util.Optional.of("127.0.0.1:" + server.port()), request.header("Host"));
            assertEquals("abc", new String(request.body(), ISO_8859_1));
            assertEquals(1, request.connection());
            assertEquals(1, request.sequence());
        }
    }

    @Test
    void defaultJdkClientsH2cUpgradeIsIgnoredAndAnsweredInHttp11() throws Exception {
        try (var server = HttpDemoServer.start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.uri("/")).build(), BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_1_1, response.version());
            assertEquals(200, response.statusCode());
            assertEquals(java.util.Optional.of("h2c"), server.takeRequest().header("Upgrade"), "the JDK client asked for HTTP/2 cleartext");
        }
    }

    @Test
    void takeRequestTimesOutWithAClearMessage() {
        try (var server = HttpDemoServer.start()) {
            var e = assertThrows(IllegalStateException.class, () -> server.takeRequest(Duration.ofMillis(50)));
            assertEquals("no HTTP request arrived within 50 ms", e.getMessage());
        }
    }

    @Test
    void unknownRouteIs404AndPostIs405() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send(get("/nope"));
            assertEquals("HTTP/1.1 404 Not Found", raw.response().statusLine());
            raw.send("POST /chunked HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            var response = raw.response();
            assertEquals("HTTP/1.1 405 Method Not Allowed", response.statusLine());
            assertEquals("GET, HEAD", response.header("Allow"));
        }
    }

    @Test
    void headAnswersHeadersWithoutBody() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            String request = "HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n";
            raw.send(request + get("/nope"));
            String head = raw.head();
            assertTrue(head.toLowerCase().contains("content-length: " + request.length() + "\r\n"), head);
            assertEquals("HTTP/1.1 404 Not Found", raw.response().statusLine(), "no body bytes in between");
        }
    }

    @Test
    void malformedRequestLineGets400InProtocolTerms() throws IOException {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
            var response = raw.response();
            assertEquals("HTTP/1.1 400 Bad Request", response.statusLine());
            assertTrue(response.body().startsWith("bad request: "), response.body());
        }
    }

    @Test
    void pollAnswers204ThenTheLatestEvent() throws Exception {
        try (var server = HttpDemoServer.start()) {
            var request = HttpRequest.newBuilder(server.uri("/poll")).build();
            assertEquals(204, HTTP11.send(request, BodyHandlers.ofString()).statusCode());
            server.publish("first");
            server.publish("second");
            HttpResponse<String> response = HTTP11.send(request, BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("second", response.body());
        }
    }

    @Test
    void longPollHoldsUntilPublish() throws Exception {
        try (var server = HttpDemoServer.start()) {
            CompletableFuture<HttpResponse<String>> pending = HTTP11.sendAsync(
                    HttpRequest.newBuilder(server.uri("/longpoll")).build(), BodyHandlers.ofString());
            waitUntil(() -> server.waiting() == 1);
            assertFalse(pending.isDone(), "held until an event is published");
            server.publish("hello");
            HttpResponse<String> response = pending.get(5, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("hello", response.body());
            assertEquals(0, server.waiting());
        }
    }

    @Test
    void longPollAnswers204AfterItsTimeout() throws Exception {
        try (var server = HttpDemoServer.newBuilder().longPollTimeout(Duration.ofMillis(200)).start()) {
            var response = HTTP11.send(HttpRequest.newBuilder(server.uri("/longpoll")).build(), BodyHandlers.ofString());
            assertEquals(204, response.statusCode());
        }
    }

    @Test
    void serverSentEventsAreFramedAsIdAndDataLines() throws Exception {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            raw.send(get("/events"));
            String head = raw.head();
            assertTrue(head.toLowerCase().contains("\r\ncontent-type: text/event-stream; charset=utf-8\r\n"), head);
            assertTrue(head.toLowerCase().contains("\r\ntransfer-encoding: chunked\r\n"), head);
            server.publish("one");
            // "id: 1\n" (6) + "data: one\n" (10) + "\n" (1) = 17 = 0x11
            assertEquals("11\r\nid: 1\ndata: one\n\n\r\n", raw.bytes(23));
            server.publish("two\nlines");
            String second = "id: 2\ndata: two\ndata: lines\n\n";
            assertEquals(Integer.toHexString(second.length()) + "\r\n" + second + "\r\n",
                    raw.bytes(second.length() + 6));
        }
    }

    @Test
    void serverSentEventsToHttp10AreUnframedAndReplayAfterLastEventId() throws Exception {
        try (var server = HttpDemoServer.start(); var raw = new RawHttp(server)) {
            server.publish("a");
            server.publish("b");
            raw.send("GET /events HTTP/1.0\r\nLast-Event-ID: 1\r\n\r\n");
            String head = raw.head();
            assertFalse(head.toLowerCase().contains("transfer-encoding"), head);
            String expected = "id: 2\ndata: b\n\n";
            assertEquals(expected, raw.bytes(expected.length()));
        }
    }

    @Test
    void curlHttp10OpensOneConnectionPerRequest() throws Exception {
        Path curl = Tools.require("curl");
        try (var server = HttpDemoServer.start()) {
            String out = run(curl.toString(), "-s", "-i", "--http1.0", server.uri("/").toString(),
                    server.uri("/echo").toString());
            assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
            assertTrue(out.contains("GET /echo HTTP/1.0\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), out);
            assertEquals(List.of(1, 1), server.requestsPerConnection());
        }
    }

    @Test
    void curlHttp11ReusesTheConnection() throws Exception {
        Path curl = Tools.require("curl");
        try (var server = HttpDemoServer.start()) {
            run(curl.toString(), "-s", "--http1.1", server.uri("/").toString(), server.uri("/echo").toString());
            assertEquals(List.of(2), server.requestsPerConnection());
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, p.exitValue(), new String(out, ISO_8859_1));
        return new String(out, ISO_8859_1);
    }

    @Test
    void reRunReplacesPreviousServer() throws Exception {
        HttpDemoServer.start().close();
        ProcessResources before = ProcessResources.now();
        HttpDemoServer previous = null;
        for (int i = 0; i < 20; i++) {
            HttpDemoServer server = HttpDemoServer.start();
            if (previous != null) {
                int oldPort = previous.port();
                if (oldPort != server.port()) { // the kernel may hand the freed port out again
                    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", oldPort).close());
                }
            }
            try (var raw = new RawHttp(server)) {
                raw.send(get("/"));
                assertEquals("HTTP/1.1 200 OK", raw.response().statusLine());
            }
            previous = server;
        }
        assertEquals(1, Lifecycle.openCount());
        Lifecycle.closeAll();
        ProcessResources.assertBackTo(before);
    }
}

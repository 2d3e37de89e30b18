package org.wirelab.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.lifecycle.Lifecycle;

/** The same requests to HttpDemoServer (HTTP/1.1) and Http2DemoServer (HTTP/2) over real sockets, with the JDK client. */
class Http2ParityTest {

    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final HttpClient HTTP2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.sendAsync(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
    }

    private static String answer(HttpResponse<String> r) {
        return r.statusCode() + " " + r.body();
    }

    @Test
    void everyRouteOfHttpDemoServerAnswersTheSameOverHttp2() throws Exception {
        try (var http1 = HttpDemoServer.start(); var http2 = Http2DemoServer.start()) {
            Function<String, List<String>> both = path -> {
                try {
                    var one = get(HTTP11, http1.uri(path));
                    var two = get(HTTP2, http2.uri(path));
                    assertEquals(HttpClient.Version.HTTP_1_1, one.version());
                    assertEquals(HttpClient.Version.HTTP_2, two.version());
                    return List.of(answer(one), answer(two));
                } catch (Exception e) {
                    throw new AssertionError(path, e);
                }
            };
            assertEquals(List.of("200 Wikipedia in\r\n\r\nchunks.", "200 Wikipedia in\r\n\r\nchunks."), both.apply("/chunked"));
            assertEquals(List.of("200 Wikipedia in\r\n\r\nchunks.", "200 Wikipedia in\r\n\r\nchunks."), both.apply("/chunked/20"));
            assertEquals(List.of("400 bad spacing: 'x' is not 0..60000 milliseconds\n",
                    "400 bad spacing: 'x' is not 0..60000 milliseconds\n"), both.apply("/chunked/x"));
            assertEquals(List.of("204 ", "204 "), both.apply("/poll"));
            assertEquals(List.of("400 bad delay: 'x' is not 0..60000 milliseconds\n",
                    "400 bad delay: 'x' is not 0..60000 milliseconds\n"), both.apply("/delay/x"));
            assertEquals(List.of("200 delayed 5 ms\n", "200 delayed 5 ms\n"), both.apply("/delay/5"));
            http1.publish("price=42");
            http2.publish("price=42");
            assertEquals(List.of("200 price=42", "200 price=42"), both.apply("/poll"));
            assertEquals(404, get(HTTP2, http2.uri("/nope")).statusCode());
            String echo = get(HTTP2, http2.uri("/echo")).body();
            assertTrue(echo.contains(":method: GET\n") && echo.contains(":path: /echo\n"), echo);

            // every route HttpDemoServer lists, Http2DemoServer lists too
            String routes2 = get(HTTP2, http2.uri("/")).body();
            List<String> missing = new ArrayList<>();
            for (String line : get(HTTP11, http1.uri("/")).body().split("\n")) {
                String[] words = line.trim().split(" +");
                if (words.length > 1 && words[1].startsWith("/") && !routes2.contains(" " + words[1] + " ")) {
                    missing.add(words[1]);
                }
            }
            assertEquals(List.of(), missing, routes2);
        }
    }

    @Test
    void longPollAndEventsWaitForPublishOverHttp2() throws Exception {
        try (var server = Http2DemoServer.start()) {
            CompletableFuture<HttpResponse<String>> longPoll = HTTP2.sendAsync(
                    HttpRequest.newBuilder(server.uri("/longpoll")).build(), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<Stream<String>>> events = HTTP2.sendAsync(
                    HttpRequest.newBuilder(server.uri("/events")).build(), BodyHandlers.ofLines());
            var paths = List.of(server.takeRequest().target(), server.takeRequest().target());
            assertTrue(paths.containsAll(List.of("/longpoll", "/events")), paths.toString());
            assertEquals(2, server.waiting());
            server.publish("hello");
            assertEquals("200 hello", answer(longPoll.get(10, TimeUnit.SECONDS)));
            var stream = events.get(10, TimeUnit.SECONDS);
            assertEquals(HttpClient.Version.HTTP_2, stream.version());
            assertEquals("text/event-stream; charset=UTF-8", stream.headers().firstValue("content-type").orElseThrow());
            List<String> lines = CompletableFuture.supplyAsync(() -> stream.body().limit(3).toList()).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("id: 1", "data: hello", ""), lines);
            assertEquals(1, server.waiting(), "the /events stream stays open");
        }
    }

    @Test
    void longPollAnswers204AfterItsTimeoutOverHttp2() throws Exception {
        try (var server = Http2DemoServer.newBuilder().longPollTimeout(Duration.ofMillis(200)).start()) {
            var r = get(HTTP2, server.uri("/longpoll"));
            assertEquals(List.of(204, HttpClient.Version.HTTP_2), List.of(r.statusCode(), r.version()));
            assertEquals(0, server.waiting());
        }
    }
}

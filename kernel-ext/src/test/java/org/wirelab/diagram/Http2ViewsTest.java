package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Http2Dissection;
import org.wirelab.http2.Http2DemoServer;
import org.wirelab.tap.Connection;
import org.wirelab.tap.Tap;
import org.wirelab.wire.Direction;

class Http2ViewsTest {

    /** The length of the route list ({@code /}), as the JDK client received it in the upgrade request's answer. */
    static int routesLength;

    /** The JDK client through a tap: one upgrade request, then /delay/200 and / together on one connection. */
    static Connection slowAndFast() throws Exception {
        try (var server = Http2DemoServer.start(); var tap = Tap.to(server.address())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            routesLength = client.send(HttpRequest.newBuilder(tap.uri("http", "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().length();
            var slow = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/delay/200")).build(), HttpResponse.BodyHandlers.ofString());
            var fast = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/")).build(), HttpResponse.BodyHandlers.ofString());
            CompletableFuture.allOf(slow, fast).get(10, TimeUnit.SECONDS);
            tap.close();
            assertEquals(1, tap.recording().connections().size());
            return tap.recording().connections().get(0);
        }
    }

    @Test
    void sequenceLabelsEveryFrameAndTheFastStreamEndsBeforeTheSlowOne() throws Exception {
        Connection c = slowAndFast();
        Http2Dissection up = Dissect.http2(c.stream(Direction.CLIENT_TO_SERVER));
        int slow = up.streamOf("/delay/200");
        int fast = up.streamOf("/");
        List<Http2Views.TimedFrame> timed = Http2Views.frames(c);
        List<String> labels = timed.stream().map(Http2Views.TimedFrame::label).toList();
        // the two HTTP/1.1 heads and the preface come before any frame and are not frames themselves
        assertEquals(List.of("GET / HTTP/1.1", "HTTP/1.1 101 Switching Protocols", "preface PRI * HTTP/2.0"),
                timed.stream().filter(t -> t.frame().isEmpty()).map(Http2Views.TimedFrame::label).sorted().toList());
        assertTrue(timed.stream().filter(t -> t.frame().isPresent()).allMatch(t -> t.frame().get().label().equals(t.label())));
        assertEquals("GET / HTTP/1.1", labels.get(0));
        assertTrue(labels.contains("HTTP/1.1 101 Switching Protocols"), labels.toString());
        assertTrue(labels.contains("preface PRI * HTTP/2.0"), labels.toString());
        int fastEnd = labels.indexOf("DATA s=" + fast + " len=" + routesLength + " END_STREAM");
        int slowEnd = labels.indexOf("DATA s=" + slow + " len=15 END_STREAM");
        assertTrue(fastEnd >= 0 && slowEnd > fastEnd, labels.toString());

        String mermaid = Http2Views.sequence(c, Set.of(slow, fast)).mermaid();
        assertTrue(mermaid.contains("HEADERS s=" + slow + " END_STREAM END_HEADERS"), mermaid);
        assertTrue(mermaid.indexOf("DATA s=" + fast + " len=" + routesLength + " END_STREAM") < mermaid.indexOf("DATA s=" + slow + " len=15 END_STREAM"), mermaid);
    }

    @Test
    void timelineHasALanePerStream() throws Exception {
        Connection c = slowAndFast();
        String spec = Http2Views.timeline(c).vegaLite().toString();
        for (String lane : List.of("stream 1", "stream 3", "stream 5", "stream 0 (connection)")) {
            assertTrue(spec.contains(lane), lane + " in " + spec);
        }
        assertTrue(spec.contains("15 bytes") && spec.contains(routesLength + " bytes"), spec);
        String two = Http2Views.timeline(c, Set.of(3, 5)).toString();
        assertTrue(two.contains("stream 3") && two.contains("stream 5") && !two.contains("stream 1 ") && !two.contains("stream 0"), two);
    }

    @Test
    void hpackViewShowsTheServersSecondResponseHeadersInFewerBytes() throws Exception {
        Connection c = slowAndFast();
        Http2Dissection down = Dissect.http2(c.stream(Direction.SERVER_TO_CLIENT));
        List<Http2Dissection.Frame> blocks = down.headerBlocks();
        assertEquals(3, blocks.size(), blocks.toString());
        int first = blocks.get(0).headers().stream().mapToInt(Http2Dissection.Header::length).sum();
        int last = blocks.get(2).headers().stream().mapToInt(Http2Dissection.Header::length).sum();
        assertTrue(last < first / 3, first + " then " + last);
        assertEquals(Http2Dissection.Representation.INDEXED, blocks.get(2).headers().stream()
                .filter(h -> h.name().equals("content-type")).findFirst().orElseThrow().representation());
        String text = Http2Views.hpack(down).toString();
        assertTrue(text.contains("[62] content-length: "), text);
        assertTrue(text.contains("content-type: text/plain; charset=US-ASCII"), text);
    }
}

package org.wirelab.http2;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wirelab.http2.Http2DemoServerTest.EMPTY_SETTINGS;
import static org.wirelab.http2.Http2DemoServerTest.PREFACE;
import static org.wirelab.http2.Http2DemoServerTest.connection;
import static org.wirelab.http2.Http2DemoServerTest.drain;
import static org.wirelab.http2.Http2DemoServerTest.frames;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.http.RecordedRequest;
import org.wirelab.http2.Http2DemoServerTest.Frame;
import org.wirelab.wire.Bytes;

/** The routes HttpDemoServer has, over HTTP/2 frames, on EmbeddedChannels with frozen time (no sleeps). */
class Http2RoutesTest {

    private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder();

    /** A HEADERS frame (END_STREAM, END_HEADERS) for {@code method path} plus {@code extra} name/value pairs. */
    private byte[] request(int stream, String method, String path, String... extra) throws Exception {
        Http2Headers h = new DefaultHttp2Headers().method(method).scheme("http").authority("127.0.0.1").path(path);
        for (int i = 0; i < extra.length; i += 2) {
            h.add(extra[i], extra[i + 1]);
        }
        ByteBuf block = Unpooled.buffer();
        hpack.encodeHeaders(stream, h, block);
        byte[] out = new byte[9 + block.readableBytes()];
        Bytes.put16(out, 1, block.readableBytes());
        out[3] = 0x1;
        out[4] = 0x5;
        Bytes.put32(out, 5, stream);
        block.readBytes(out, 9, block.readableBytes());
        block.release();
        return out;
    }

    private EmbeddedChannel open(Http2DemoServer server, byte[]... requests) {
        EmbeddedChannel ch = connection(server);
        ch.writeInbound(Unpooled.wrappedBuffer(PREFACE, EMPTY_SETTINGS));
        for (byte[] r : requests) {
            ch.writeInbound(Unpooled.wrappedBuffer(r));
        }
        return ch;
    }

    /** The frames the server sent since the last call, SETTINGS and their ACKs left out. */
    private List<Frame> sent(EmbeddedChannel ch) throws Exception {
        return frames(drain(ch), decoder).stream().filter(f -> f.type() != 0x4).toList();
    }

    private static void advance(EmbeddedChannel ch, long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    private static String text(Frame f) {
        return new String(f.payload(), US_ASCII);
    }

    /** Frame header and payload as hex, e.g. {@code 000004000000000001 5769 6b69}. */
    private static String hex(Frame f) {
        byte[] head = new byte[9];
        Bytes.put16(head, 1, f.payload().length);
        head[0] = (byte) (f.payload().length >> 16);
        head[3] = (byte) f.type();
        head[4] = (byte) f.flags();
        Bytes.put32(head, 5, f.stream());
        return HexFormat.of().formatHex(head) + " " + HexFormat.of().formatHex(f.payload());
    }

    @Test
    void chunkedSendsItsThreePiecesAsThreeDataFramesAtOnce() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        EmbeddedChannel ch = open(server, request(1, "GET", "/chunked"));
        List<Frame> out = sent(ch);
        assertEquals(4, out.size(), out.toString());
        Http2Headers head = out.get(0).headers();
        assertEquals("200", head.status().toString());
        assertEquals("text/plain; charset=US-ASCII", head.get("content-type").toString());
        assertFalse(head.contains("content-length"), "the length is not announced, as with chunked coding");
        // type 0x0 DATA, flags 0x0 then 0x1 END_STREAM on the last, stream 1
        assertEquals(List.of("000004000000000001 57696b69",
                        "000005000000000001 7065646961",
                        "00000e000100000001 20696e0d0a0d0a6368756e6b732e"),
                out.subList(1, 4).stream().map(Http2RoutesTest::hex).toList());
        assertEquals(HttpDemoServer.CHUNKED_PIECES, out.subList(1, 4).stream().map(Http2RoutesTest::text).toList());
        ch.finishAndReleaseAll();
    }

    @Test
    void chunkedWithSpacingDripsWhileAFastStreamIsAnsweredBetweenItsFrames() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        EmbeddedChannel ch = open(server, request(1, "GET", "/chunked/200"), request(3, "GET", "/"));
        List<Frame> now = sent(ch);
        assertEquals(List.of("type=1 s=1", "type=0 s=1 Wiki", "type=1 s=3", "type=0 s=3 end"),
                now.stream().map(f -> "type=" + f.type() + " s=" + f.stream()
                        + (f.type() == 0 ? " " + (f.stream() == 1 ? text(f) : f.endStream() ? "end" : "more") : "")).toList());
        advance(ch, 199);
        assertEquals(List.of(), sent(ch), "nothing before 200 ms");
        advance(ch, 1);
        assertEquals(List.of("000005000000000001 7065646961"), sent(ch).stream().map(Http2RoutesTest::hex).toList());
        advance(ch, 200);
        List<Frame> last = sent(ch);
        assertEquals(List.of("00000e000100000001 20696e0d0a0d0a6368756e6b732e"), last.stream().map(Http2RoutesTest::hex).toList());
        assertEquals(List.of(2), server.requestsPerConnection());
        ch.finishAndReleaseAll();
    }

    @Test
    void resetStreamStopsTheDrip() throws Exception {
        EmbeddedChannel ch = open(Http2DemoServerTest.unbound(), request(1, "GET", "/chunked/100"));
        assertEquals(2, sent(ch).size());
        // RST_STREAM: length 4, type 0x3, stream 1, error code 0x8 CANCEL (RFC 9113 §6.4, §7)
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("000004030000000001" + "00000008")));
        advance(ch, 1000);
        assertEquals(List.of(), sent(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void badSpacingIs400InProtocolTerms() throws Exception {
        EmbeddedChannel ch = open(Http2DemoServerTest.unbound(), request(1, "GET", "/chunked/soon"));
        List<Frame> out = sent(ch);
        assertEquals("400", out.get(0).headers().status().toString());
        assertEquals("bad spacing: 'soon' is not 0..60000 milliseconds\n", text(out.get(1)));
        ch.finishAndReleaseAll();
    }

    @Test
    void pollAnswers204ThenTheLatestEvent() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        EmbeddedChannel ch = open(server, request(1, "GET", "/poll"));
        List<Frame> none = sent(ch);
        assertEquals(1, none.size(), "204: HEADERS with END_STREAM, no DATA");
        assertEquals("204", none.get(0).headers().status().toString());
        assertTrue(none.get(0).endStream());
        server.publish("price=41");
        server.publish("price=42");
        ch.writeInbound(Unpooled.wrappedBuffer(request(3, "GET", "/poll")));
        List<Frame> latest = sent(ch);
        assertEquals("8", latest.get(0).headers().get("content-length").toString());
        assertEquals("000008000100000003 70726963653d3432", hex(latest.get(1)));
        ch.finishAndReleaseAll();
    }

    @Test
    void longPollHoldsUntilPublishThenAnswers204AfterItsTimeout() throws Exception {
        Http2DemoServer server = new Http2DemoServer(Http2DemoServer.newBuilder().longPollTimeout(Duration.ofSeconds(2)));
        EmbeddedChannel ch = open(server, request(1, "GET", "/longpoll"));
        assertEquals(List.of(), sent(ch));
        assertEquals(1, server.waiting());
        server.publish("hello");
        ch.runPendingTasks();
        List<Frame> answer = sent(ch);
        assertEquals("200", answer.get(0).headers().status().toString());
        assertEquals("000005000100000001 68656c6c6f", hex(answer.get(1)));
        assertEquals(0, server.waiting());

        ch.writeInbound(Unpooled.wrappedBuffer(request(3, "GET", "/longpoll")));
        advance(ch, 1999);
        assertEquals(List.of(), sent(ch));
        advance(ch, 1);
        List<Frame> timeout = sent(ch);
        assertEquals(1, timeout.size());
        assertEquals("204", timeout.get(0).headers().status().toString());
        assertEquals(0, server.waiting());
        ch.finishAndReleaseAll();
    }

    @Test
    void eventsIsOneOpenStreamWithOneDataFramePerEvent() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        server.publish("first");
        EmbeddedChannel ch = open(server, request(1, "GET", "/events"));
        List<Frame> start = sent(ch);
        assertEquals("text/event-stream; charset=UTF-8", start.get(0).headers().get("content-type").toString());
        assertFalse(start.get(0).endStream(), "the stream stays open");
        assertEquals("id: 1\ndata: first\n\n", text(start.get(1)));
        assertEquals(1, server.waiting());
        server.publish("two\nlines");
        ch.runPendingTasks();
        List<Frame> next = sent(ch);
        assertEquals(1, next.size());
        assertEquals("id: 2\ndata: two\ndata: lines\n\n", text(next.get(0)));
        assertFalse(next.get(0).endStream());
        // the client cancels the stream: RST_STREAM, error code 0x8 CANCEL
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("000004030000000001" + "00000008")));
        assertEquals(0, server.waiting());
        ch.finishAndReleaseAll();
    }

    @Test
    void eventsReplaysAfterLastEventId() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        server.publish("a");
        server.publish("b");
        EmbeddedChannel ch = open(server, request(1, "GET", "/events", "last-event-id", "1"));
        List<Frame> out = sent(ch);
        assertEquals(List.of("id: 2\ndata: b\n\n"), out.stream().filter(f -> f.type() == 0).map(Http2RoutesTest::text).toList());
        ch.finishAndReleaseAll();
    }

    @Test
    void headAnswersHeadersOnlyAndPostOnAGetRouteIs405() throws Exception {
        EmbeddedChannel ch = open(Http2DemoServerTest.unbound(), request(1, "HEAD", "/"), request(3, "POST", "/poll"));
        List<Frame> out = sent(ch);
        Frame head = out.get(0);
        assertTrue(head.endStream());
        assertEquals(String.valueOf(Http2Routes.ROUTES.length()), head.headers().get("content-length").toString());
        assertEquals(List.of(), out.stream().filter(f -> f.stream() == 1 && f.type() == 0).toList());
        Frame refused = out.stream().filter(f -> f.stream() == 3 && f.type() == 1).findFirst().orElseThrow();
        assertEquals("405", refused.headers().status().toString());
        assertEquals("GET, HEAD", refused.headers().get("allow").toString());
        ch.finishAndReleaseAll();
    }

    @Test
    void builderDelayHoldsThatPathsResponse() throws Exception {
        Http2DemoServer server = new Http2DemoServer(Http2DemoServer.newBuilder().delay("/chunked", Duration.ofMillis(300)));
        EmbeddedChannel ch = open(server, request(1, "GET", "/chunked"));
        advance(ch, 299);
        assertEquals(List.of(), sent(ch));
        advance(ch, 1);
        assertEquals(4, sent(ch).size());
        ch.finishAndReleaseAll();
    }

    @Test
    void takeRequestGivesTheDecodedFields() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        EmbeddedChannel ch = open(server, request(1, "GET", "/poll?x=1", "accept", "text/plain"));
        RecordedRequest r = server.takeRequest(Duration.ZERO);
        assertEquals(List.of("GET", "/poll?x=1", "HTTP/2", 1, 1), List.of(r.method(), r.target(), r.version(), r.connection(), r.sequence()));
        assertEquals("127.0.0.1", r.header(":authority").orElseThrow());
        assertEquals("text/plain", r.header("accept").orElseThrow());
        assertThrows(IllegalStateException.class, () -> server.takeRequest(Duration.ZERO));
        ch.finishAndReleaseAll();
    }

    @Test
    void closingTheConnectionCancelsTimersAndWaiters() throws Exception {
        Http2DemoServer server = Http2DemoServerTest.unbound();
        EmbeddedChannel ch = open(server, request(1, "GET", "/longpoll"), request(3, "GET", "/events"),
                request(5, "GET", "/chunked/500"));
        assertEquals(2, server.waiting());
        ch.close();
        assertEquals(0, server.waiting());
        server.publish("after close");
        ch.runPendingTasks();
        advance(ch, 60_000);
        ch.finishAndReleaseAll();
    }
}

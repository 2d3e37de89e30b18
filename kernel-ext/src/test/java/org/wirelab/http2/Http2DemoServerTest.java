package org.wirelab.http2;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.tap.Tap;
import org.wirelab.testing.Tools;
import org.wirelab.wire.Bytes;
import org.wirelab.wire.Direction;

class Http2DemoServerTest {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII);
    /** An empty SETTINGS frame: length 0, type 0x4, flags 0, stream 0. */
    static final byte[] EMPTY_SETTINGS = HexFormat.of().parseHex("000000040000000000");

    /** One frame as the server sent it: the header fields and the payload. */
    record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        boolean endStream() {
            return (type == 0x0 || type == 0x1) && (flags & 0x1) != 0;
        }

        @Override
        public String toString() {
            return "type=" + type + " s=" + stream + " flags=" + flags + " len=" + payload.length
                    + (headers != null ? " " + headers : "");
        }
    }

    /** A HEADERS frame with END_STREAM and END_HEADERS for a GET of {@code path}. */
    static byte[] get(DefaultHttp2HeadersEncoder hpack, int stream, String path) throws Exception {
        Http2Headers h = new DefaultHttp2Headers().method("GET").scheme("http").authority("127.0.0.1").path(path);
        ByteBuf block = Unpooled.buffer();
        hpack.encodeHeaders(stream, h, block);
        byte[] out = new byte[9 + block.readableBytes()];
        out[0] = (byte) (block.readableBytes() >> 16);
        Bytes.put16(out, 1, block.readableBytes());
        out[3] = 0x1;
        out[4] = 0x5;
        Bytes.put32(out, 5, stream);
        block.readBytes(out, 9, block.readableBytes());
        return out;
    }

    static List<Frame> frames(byte[] b, DefaultHttp2HeadersDecoder hpack) throws Exception {
        List<Frame> out = new ArrayList<>();
        int at = 0;
        while (at + 9 <= b.length) {
            int len = (Bytes.u8(b, at) << 16) | Bytes.u16(b, at + 1);
            byte[] payload = java.util.Arrays.copyOfRange(b, at + 9, at + 9 + len);
            int type = Bytes.u8(b, at + 3);
            int stream = (int) (Bytes.u32(b, at + 5) & 0x7fffffffL);
            Http2Headers headers = type == 0x1 ? hpack.decodeHeaders(stream, Unpooled.wrappedBuffer(payload)) : null;
            out.add(new Frame(type, Bytes.u8(b, at + 4), stream, payload, headers));
            at += 9 + len;
        }
        assertEquals(b.length, at, "frames end at the last byte");
        return out;
    }

    static byte[] drain(EmbeddedChannel ch) {
        var out = new java.io.ByteArrayOutputStream();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            buf.release();
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** A server that is never bound: its connections are EmbeddedChannels. */
    static Http2DemoServer unbound() {
        return new Http2DemoServer(Http2DemoServer.newBuilder());
    }

    static EmbeddedChannel connection(Http2DemoServer server) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        Http2Pipeline.install(ch.pipeline(), server);
        return ch;
    }

    @Test
    void priorKnowledgeAnswersTheFastStreamBeforeTheDelayedOne() throws Exception {
        Http2DemoServer server = unbound();
        EmbeddedChannel ch = connection(server);
        var hpack = new DefaultHttp2HeadersEncoder();
        ch.writeInbound(Unpooled.wrappedBuffer(PREFACE, EMPTY_SETTINGS, get(hpack, 1, "/delay/300"), get(hpack, 3, "/")));
        var decoder = new DefaultHttp2HeadersDecoder();
        List<Frame> first = frames(drain(ch), decoder);

        assertEquals(0x4, first.get(0).type(), "the server's preface is a SETTINGS frame: " + first);
        assertEquals(List.of(), first.stream().filter(f -> f.stream() == 1).toList(), "nothing on stream 1 before 300 ms");
        Frame fastEnd = first.stream().filter(f -> f.stream() == 3 && f.endStream()).findFirst().orElseThrow();
        assertEquals(Http2Routes.ROUTES, new String(fastEnd.payload(), US_ASCII));
        assertEquals("200", first.stream().filter(f -> f.stream() == 3 && f.type() == 0x1).findFirst().orElseThrow()
                .headers().status().toString());

        ch.advanceTimeBy(299, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(), frames(drain(ch), decoder).stream().filter(f -> f.stream() == 1).toList());
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        List<Frame> later = frames(drain(ch), decoder);
        assertEquals(List.of(0x1, 0x0), later.stream().filter(f -> f.stream() == 1).map(Frame::type).toList(), later.toString());
        assertEquals("delayed 300 ms\n", new String(later.get(later.size() - 1).payload(), US_ASCII));
        assertEquals(List.of(2), server.requestsPerConnection());
        ch.finishAndReleaseAll();
    }

    @Test
    void upgradeH2cAnswers101ThenTheResponseOnStream1() throws Exception {
        EmbeddedChannel ch = connection(unbound());
        ch.writeInbound(Unpooled.copiedBuffer("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n", US_ASCII));
        byte[] out = drain(ch);
        String head = "HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: h2c\r\n\r\n";
        assertEquals(head, new String(out, 0, head.length(), US_ASCII));
        // After the 101 the client still sends its preface and SETTINGS (RFC 9113 §3.2)
        ch.writeInbound(Unpooled.wrappedBuffer(PREFACE, EMPTY_SETTINGS));
        byte[] rest = java.util.Arrays.copyOfRange(out, head.length(), out.length);
        var both = new java.io.ByteArrayOutputStream();
        both.writeBytes(rest);
        both.writeBytes(drain(ch));
        List<Frame> frames = frames(both.toByteArray(), new DefaultHttp2HeadersDecoder());
        assertEquals(0x4, frames.get(0).type(), frames.toString());
        Frame data = frames.stream().filter(f -> f.stream() == 1 && f.type() == 0x0).findFirst().orElseThrow();
        String echoed = new String(data.payload(), US_ASCII);
        assertTrue(echoed.startsWith(":method: GET\n") || echoed.contains(":path: /echo\n"), echoed);
        assertTrue(data.endStream());
        ch.finishAndReleaseAll();
    }

    @Test
    void bytesRouteSplitsTheBodyIntoDataFramesOfAtMost16384() throws Exception {
        EmbeddedChannel ch = connection(unbound());
        var hpack = new DefaultHttp2HeadersEncoder();
        ch.writeInbound(Unpooled.wrappedBuffer(PREFACE, EMPTY_SETTINGS, get(hpack, 1, "/bytes/40000")));
        List<Frame> data = frames(drain(ch), new DefaultHttp2HeadersDecoder()).stream()
                .filter(f -> f.type() == 0x0).toList();
        assertEquals(List.of(16384, 16384, 7232), data.stream().map(f -> f.payload().length).toList());
        assertEquals(List.of(false, false, true), data.stream().map(Frame::endStream).toList());
        ch.finishAndReleaseAll();
    }

    @Test
    void bytesBeyondTheClientsWindowWaitForWindowUpdate() throws Exception {
        EmbeddedChannel ch = connection(unbound());
        var hpack = new DefaultHttp2HeadersEncoder();
        // SETTINGS_INITIAL_WINDOW_SIZE (0x4) = 20000: the server may send 20000 bytes on the stream, no more
        byte[] settings = HexFormat.of().parseHex("000006040000000000" + "0004" + "00004e20");
        ch.writeInbound(Unpooled.wrappedBuffer(PREFACE, settings, get(hpack, 1, "/bytes/50000")));
        var decoder = new DefaultHttp2HeadersDecoder();
        int sent = frames(drain(ch), decoder).stream().filter(f -> f.type() == 0x0).mapToInt(f -> f.payload().length).sum();
        assertEquals(20000, sent);
        // WINDOW_UPDATE on stream 1, increment 30000
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("000004080000000001" + "00007530")));
        List<Frame> rest = frames(drain(ch), decoder).stream().filter(f -> f.type() == 0x0).toList();
        assertEquals(30000, rest.stream().mapToInt(f -> f.payload().length).sum());
        assertTrue(rest.get(rest.size() - 1).endStream());
        ch.finishAndReleaseAll();
    }

    @Test
    void aRequestBodyIsGivenBackToTheClientsWindowsWithWindowUpdate() throws Exception {
        EmbeddedChannel ch = connection(unbound());
        var hpack = new DefaultHttp2HeadersEncoder();
        byte[] post = get(hpack, 1, "/echo");
        post[4] = 0x4; // END_HEADERS only: DATA follows
        var in = new java.io.ByteArrayOutputStream();
        in.writeBytes(PREFACE);
        in.writeBytes(EMPTY_SETTINGS);
        in.writeBytes(post);
        for (int i = 0; i < 3; i++) {
            byte[] data = new byte[9 + 16384];
            Bytes.put16(data, 1, 16384);  // length 0x004000, type DATA, END_STREAM on the last
            data[4] = (byte) (i == 2 ? 0x1 : 0x0);
            Bytes.put32(data, 5, 1);
            in.writeBytes(data);
        }
        ch.writeInbound(Unpooled.wrappedBuffer(in.toByteArray()));
        List<Frame> out = frames(drain(ch), new DefaultHttp2HeadersDecoder());
        List<String> updates = out.stream().filter(f -> f.type() == 0x8)
                .map(f -> "s=" + f.stream() + " +" + Bytes.u32(f.payload(), 0)).toList();
        assertTrue(updates.stream().anyMatch(u -> u.startsWith("s=0 +")), updates.toString());
        assertTrue(updates.stream().anyMatch(u -> u.startsWith("s=1 +")), updates.toString());
        int echoed = out.stream().filter(f -> f.type() == 0x0 && f.stream() == 1).mapToInt(f -> f.payload().length).sum();
        assertTrue(echoed > 3 * 16384, "echoed " + echoed);
        ch.finishAndReleaseAll();
    }

    @Test
    void plainHttp11GetsUpgradeRequired() throws Exception {
        EmbeddedChannel ch = connection(unbound());
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", US_ASCII));
        String out = new String(drain(ch), US_ASCII);
        assertTrue(out.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), out);
        assertTrue(out.contains("upgrade: h2c\r\n"), out);
        ch.finishAndReleaseAll();
    }

    @Test
    void jdkClientUpgradesThroughTheTapAndGetsTheFastResponseFirst() throws Exception {
        try (var server = Http2DemoServer.start(); var tap = Tap.to(server.address())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            var first = client.send(HttpRequest.newBuilder(tap.uri("http", "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, first.version());
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<?> slow = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/delay/300")).build(),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(r -> order.add(r.body()));
            CompletableFuture<?> fast = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(r -> order.add("fast"));
            CompletableFuture.allOf(slow, fast).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("fast", "delayed 300 ms\n"), order);
            assertEquals(List.of(3), server.requestsPerConnection());
            assertEquals(1, tap.recording().connections().size());
            String upgrade = new String(tap.recording().connections().get(0).stream(Direction.CLIENT_TO_SERVER), US_ASCII);
            assertTrue(upgrade.startsWith("GET / HTTP/1.1\r\n") && upgrade.contains("\r\nUpgrade: h2c\r\n")
                    && upgrade.contains("\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), upgrade);
        }
    }

    @Test
    void curlWithPriorKnowledgeSpeaksHttp2ThroughTheTap() throws Exception {
        Path curl = Tools.require("curl");
        try (var server = Http2DemoServer.start(); var tap = Tap.to(server.address())) {
            Process p = new ProcessBuilder(curl.toString(), "-s", "--http2-prior-knowledge", "-w", "%{http_version}",
                    tap.uri("http", "/delay/10").toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), US_ASCII);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals("delayed 10 ms\n2", out);
            tap.awaitClosed();
            byte[] sent = tap.recording().connections().get(0).stream(Direction.CLIENT_TO_SERVER);
            assertEquals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", new String(sent, 0, 24, US_ASCII));
        }
    }

    @Test
    void reRunClosesThePreviousServer() throws Exception {
        Lifecycle.closeAll();
        Http2DemoServer previous = null;
        for (int i = 0; i < 3; i++) {
            Http2DemoServer server = Http2DemoServer.start();
            if (previous != null && previous.port() != server.port()) {
                int old = previous.port();
                org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class,
                        () -> new Socket("127.0.0.1", old).close());
            }
            previous = server;
        }
        assertEquals(1, Lifecycle.openCount());
        Lifecycle.closeAll();
    }
}

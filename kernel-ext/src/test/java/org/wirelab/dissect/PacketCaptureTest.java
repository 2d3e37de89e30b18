package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.testing.Tools;

class PacketCaptureTest {

    @TempDir
    Path dir;

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in 30 s");
        }
        assertEquals(0, p.exitValue(), cmd + ": " + out);
    }

    private static PdmlComparison compare(Path pcap) throws Exception {
        PacketCapture capture = Dissect.pcap(pcap);
        Pdml pdml = Pdml.of(pcap);
        assertEquals(pdml.packets.size(), capture.packets().size());
        PdmlComparison c = new PdmlComparison();
        for (int i = 0; i < pdml.packets.size(); i++) {
            Dissection d = capture.packets().get(i);
            assertEquals(List.of(), d.problems(), "frame " + (i + 1));
            assertEquals(List.of(), d.uncoveredBytes(), "frame " + (i + 1));
            c.packet(pdml.packets.get(i), d, "frame " + (i + 1));
        }
        for (TcpStream s : capture.streams()) {
            assertEquals(List.of(), s.dissection().problems(), s.toString());
            assertEquals(List.of(), s.dissection().uncoveredBytes(), s.toString());
            c.stream(pdml, s);
        }
        System.out.println(pcap.getFileName() + ": " + c.summary());
        System.out.println(pcap.getFileName() + ": tshark fields with bytes not produced here: " + c.unmatchedTsharkFields(pdml));
        assertEquals(List.of(), c.mismatches);
        return c;
    }

    @Test
    void packetTimesAreTheCaptureTimesTsharkReads() throws Exception {
        String tshark = org.wirelab.testing.Tools.require("tshark").toString();
        Path file = Path.of("src/test/resources/captures/chromium-websocket.pcapng").toAbsolutePath();
        Process p = new ProcessBuilder(tshark, "-r", file.toString(), "-T", "fields", "-e", "frame.time_epoch")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        PacketCapture capture = Dissect.pcap(file);
        List<String> ours = java.util.stream.IntStream.rangeClosed(1, capture.packets().size())
                .mapToObj(n -> capture.time(n).orElseThrow())
                .map(t -> t.getEpochSecond() + "." + String.format("%09d", t.getNano())).toList();
        assertEquals(expected, ours);
    }

    @Test
    void curlAgainstJdkServerMatchesTsharkFieldByField() throws Exception {
        Tools.require("curl");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", ex -> {
            byte[] body = "hello, fixed length\n".getBytes(StandardCharsets.US_ASCII);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/chunked", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("Wiki".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("pedia in\r\n\r\nchunks.".getBytes(StandardCharsets.US_ASCII));
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        Path pcap = dir.resolve("http.pcapng");
        try (LoopbackCapture ignored = LoopbackCapture.start(port, pcap, "pcapng")) {
            String base = "http://127.0.0.1:" + port;
            run(List.of("curl", "-s", "-o", "/dev/null", "-o", "/dev/null", "-H", "X-Wirelab: 1",
                    base + "/fixed", base + "/chunked"));
            run(List.of("curl", "-s", "-o", "/dev/null", "--data", "name=value", base + "/chunked"));
        } finally {
            server.stop(0);
        }
        PacketCapture capture = Dissect.pcap(pcap);
        assertEquals("pcapng", capture.format());
        assertEquals("1", capture.packets().get(0).value("tcp.flags.syn"), capture.toString());
        PdmlComparison c = compare(pcap);
        for (String name : List.of("http.request.method", "http.request.uri", "http.host", "http.user_agent",
                "http.response.code", "http.content_length_header", "http.chunk_size", "http.chunk_data",
                "http.chunk_boundary", "tcp.seq", "tcp.ack", "tcp.options.mss_val", "ip.src", "eth.type")) {
            assertTrue(c.matchedByName.containsKey(name), name + " never compared: " + c.summary());
        }
    }

    /**
     * Serves {@link #PAGE} at "/" (404 elsewhere) and a WebSocket at "/ws" that echoes text and binary
     * frames; the protocol handler answers ping and close. {@code closed} completes on a client close.
     */
    private static Channel websocketServer(EventLoopGroup group, CompletableFuture<String> received)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").maxFramePayloadLength(1 << 20).build()),
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof FullHttpRequest req) {
                                            boolean page = req.uri().equals("/");
                                            byte[] body = (page ? PAGE.replace("PORT", Integer.toString(
                                                    ((InetSocketAddress) ctx.channel().localAddress()).getPort()))
                                                    : "not found\n").getBytes(StandardCharsets.UTF_8);
                                            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    page ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                                                    Unpooled.wrappedBuffer(body));
                                            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, page ? "text/html" : "text/plain")
                                                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                            ctx.writeAndFlush(resp);
                                        } else if (msg instanceof TextWebSocketFrame t) {
                                            received.complete(t.text());
                                            ctx.writeAndFlush(new TextWebSocketFrame(t.text()));
                                        } else if (msg instanceof BinaryWebSocketFrame f) {
                                            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer(f.content())));
                                        }
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    static final String PAGE = """
            <!doctype html><title>wirelab</title>
            <script>
            const ws = new WebSocket("ws://127.0.0.1:PORT/ws");
            ws.onopen = () => ws.send("hello from chromium");
            ws.onmessage = e => ws.close(1000, "done");
            </script>
            """;

    /**
     * Chromium loading a page whose script opens a WebSocket (about 6 s here). The shipped capture
     * src/test/resources/captures/chromium-websocket.pcapng was recorded by this test with
     * <pre>
     * ./mvnw -q -o -pl kernel-ext test -Dtest='PacketCaptureTest#chromium*' \
     *     -Dwirelab.record=$PWD/kernel-ext/src/test/resources/captures/chromium-websocket.pcapng
     * </pre>
     */
    @Test
    void chromiumPageOpeningAWebSocketMatchesTsharkFieldByField() throws Exception {
        Path chromium = Tools.find("chromium").orElseGet(() -> {
            Tools.missing("chromium is not on PATH");
            return null;
        });
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Path pcap = dir.resolve("chromium.pcapng");
        CompletableFuture<String> received = new CompletableFuture<>();
        Process browser = null;
        try {
            Channel server = websocketServer(group, received);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (LoopbackCapture ignored = LoopbackCapture.start(port, pcap, "pcapng")) {
                browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
                        "http://127.0.0.1:" + port + "/")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertEquals("hello from chromium", received.get(30, TimeUnit.SECONDS));
                Thread.sleep(500);
            } finally {
                if (browser != null) {
                    browser.destroy();
                    if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                        browser.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        String record = System.getProperty("wirelab.record");
        if (record != null) {
            Files.copy(pcap, Path.of(record), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertChromiumCapture(pcap);
    }

    /** The shipped Chromium capture, compared with tshark without starting a browser. */
    @Test
    void shippedChromiumCaptureMatchesTsharkFieldByField() throws Exception {
        Path pcap = dir.resolve("shipped.pcapng");
        try (var in = getClass().getResourceAsStream("/captures/chromium-websocket.pcapng")) {
            org.junit.jupiter.api.Assertions.assertNotNull(in, "the shipped capture /captures/chromium-websocket.pcapng is missing");
            Files.copy(in, pcap);
        }
        assertChromiumCapture(pcap);
    }

    private static void assertChromiumCapture(Path pcap) throws Exception {
        PacketCapture capture = Dissect.pcap(pcap);
        List<Field> fields = capture.streams().stream().flatMap(s -> s.dissection().allFields().stream()).toList();
        assertEquals(List.of("hello from chromium", "hello from chromium"), fields.stream()
                .filter(f -> f.name().equals("websocket.payload.text")).map(Field::value).toList(), capture.toString());
        assertEquals(List.of("done", "done"), fields.stream()
                .filter(f -> f.name().equals("websocket.payload.close.reason")).map(Field::value).toList());
        PdmlComparison c = compare(pcap);
        for (String name : List.of("websocket.opcode", "websocket.masking_key", "http.sec_websocket_accept",
                "http.request.uri")) {
            assertTrue(c.matchedByName.containsKey(name), name + " never compared: " + c.summary());
        }
    }

    static final String CLIENT = """
            import asyncio, sys, websockets
            async def main():
                async with websockets.connect(sys.argv[1], compression=None, max_size=None) as ws:
                    await ws.send("Hello"); await ws.recv()
                    await ws.send(bytes(range(256))); await ws.recv()
                    await ws.send(bytes(65536)); await ws.recv()
                    await asyncio.wait_for(await ws.ping(b"ping"), 5)
                    await ws.close(1000, "bye")
            asyncio.run(asyncio.wait_for(main(), 20))
            """;

    @Test
    void pythonWebsocketsAgainstNettyServerMatchesTsharkFieldByField() throws Exception {
        Path python = Tools.pythonWithWebsockets();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Path pcap = dir.resolve("ws.pcap");
        try {
            Channel server = websocketServer(group, new CompletableFuture<>());
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (LoopbackCapture ignored = LoopbackCapture.start(port, pcap, "pcap")) {
                run(List.of(python.toString(), "-c", CLIENT, "ws://127.0.0.1:" + port + "/ws"));
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        PacketCapture capture = Dissect.pcap(pcap);
        assertTrue(capture.format().startsWith("pcap "), capture.format());
        TcpStream client = capture.streams().get(0);
        TcpStream serverSide = capture.streams().get(1);
        List<String> fromClient = client.dissection().allFields().stream()
                .filter(f -> f.name().equals("websocket.opcode")).map(Field::value).toList();
        assertEquals(List.of("1", "2", "2", "9", "8"), fromClient);
        assertEquals("101", serverSide.dissection().value("http.response.code"));
        assertEquals("Hello", serverSide.dissection().value("websocket.payload.text"));
        PdmlComparison c = compare(pcap);
        for (String name : List.of("websocket.fin", "websocket.opcode", "websocket.mask", "websocket.payload_length",
                "websocket.payload_length_ext_16", "websocket.masking_key", "websocket.masked_payload",
                "websocket.payload.text", "http.sec_websocket_key", "http.sec_websocket_accept", "http.upgrade")) {
            assertTrue(c.matchedByName.containsKey(name), name + " never compared: " + c.summary());
        }
    }

    /** The Ethernet packets of the shipped Chromium capture re-framed as SLL, SLL2, BSD NULL and raw IP. */
    @Test
    void cookedLoopbackAndRawLinkLayersMatchTsharkFieldByField() throws Exception {
        byte[] shipped;
        try (var in = getClass().getResourceAsStream("/captures/chromium-websocket.pcapng")) {
            org.junit.jupiter.api.Assertions.assertNotNull(in, "the shipped capture /captures/chromium-websocket.pcapng is missing");
            shipped = in.readAllBytes();
        }
        List<byte[]> ip = Dissect.pcap(shipped).packets().stream()
                .map(d -> java.util.Arrays.copyOfRange(d.bytes(), 14, d.bytes().length)).toList();
        java.util.HexFormat hex = java.util.HexFormat.of();
        var layers = new java.util.LinkedHashMap<Integer, byte[]>();
        layers.put(113, hex.parseHex("00000304000600000000000000000800"));
        layers.put(276, hex.parseHex("0800000000000001030400060000000000000000"));
        layers.put(0, hex.parseHex("02000000"));
        layers.put(101, new byte[0]);
        for (var layer : layers.entrySet()) {
            List<byte[]> packets = ip.stream().map(p -> DissectPropertiesTest.concat(layer.getValue(), p)).toList();
            Path pcap = Files.write(dir.resolve("link" + layer.getKey() + ".pcap"), SyntheticPcap.of(layer.getKey(), packets));
            PdmlComparison c = compare(pcap);
            assertEquals(2, Dissect.pcap(pcap).streams().stream().filter(s -> s.dissection().field("websocket.opcode")
                    .isPresent()).count(), "link type " + layer.getKey());
            if (layer.getKey() == 113 || layer.getKey() == 276) {
                assertTrue(c.matchedByName.containsKey("sll.hatype") && c.matchedByName.containsKey("sll.etype"), c.summary());
            }
            if (layer.getKey() == 0) {
                assertTrue(c.matchedByName.containsKey("null.family"), c.summary());
            }
        }
    }

    /** Without the handshake, relative sequence numbers start from the first segment seen, as in tshark. */
    @Test
    void captureStartingMidConnectionMatchesTsharkFieldByField() throws Exception {
        byte[] shipped;
        try (var in = getClass().getResourceAsStream("/captures/chromium-websocket.pcapng")) {
            org.junit.jupiter.api.Assertions.assertNotNull(in, "the shipped capture /captures/chromium-websocket.pcapng is missing");
            shipped = in.readAllBytes();
        }
        List<byte[]> packets = Dissect.pcap(shipped).packets().stream().skip(3).map(Dissection::bytes).toList();
        Path pcap = Files.write(dir.resolve("late.pcap"), SyntheticPcap.of(1, packets));
        PdmlComparison c = compare(pcap);
        assertTrue(c.matchedByName.getOrDefault("tcp.seq", 0) == packets.size(), c.summary());
    }

    @Test
    void curlOverIpv6MatchesTsharkFieldByField() throws Exception {
        Tools.require("curl");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("::1", 0), 0);
        } catch (java.io.IOException e) {
            Tools.missing("IPv6 loopback ::1: " + e.getMessage());
            return;
        }
        server.createContext("/", ex -> {
            byte[] body = "over IPv6\n".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        Path pcap = dir.resolve("ipv6.pcapng");
        try (LoopbackCapture ignored = LoopbackCapture.start(port, pcap, "pcapng")) {
            run(List.of("curl", "-s", "-g", "-o", "/dev/null", "http://[::1]:" + port + "/"));
        } finally {
            server.stop(0);
        }
        PdmlComparison c = compare(pcap);
        for (String name : List.of("ipv6.src", "ipv6.dst", "ipv6.plen", "ipv6.nxt", "ipv6.hlim", "ipv6.tclass", "ipv6.flow")) {
            assertTrue(c.matchedByName.containsKey(name), name + " never compared: " + c.summary());
        }
    }

    @Test
    void classicPcapInEitherByteOrderAndResolutionReadsTheSamePacket() {
        byte[] packet = java.util.HexFormat.of().parseHex("0000000000000000000000000800"
                + "4500001c000140004011000a7f0000017f000001" + "303930390008abcd");
        for (String magic : List.of("a1b2c3d4", "d4c3b2a1", "a1b23c4d", "4d3cb2a1")) {
            boolean le = magic.startsWith("d4") || magic.startsWith("4d");
            java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(24 + 16 + packet.length)
                    .order(le ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
            f.put(java.util.HexFormat.of().parseHex(magic)).putShort((short) 2).putShort((short) 4).putInt(0)
                    .putInt(0).putInt(65535).putInt(1);
            f.putInt(0).putInt(0).putInt(packet.length).putInt(packet.length).put(packet);
            PacketCapture c = Dissect.pcap(f.array());
            assertEquals(List.of(), c.problems(), magic);
            Dissection d = c.packets().get(0);
            assertEquals("12345", d.value("udp.srcport"), magic);
            assertEquals("0xabcd", d.value("udp.checksum"), magic);
            assertEquals(List.of(), d.uncoveredBytes(), magic);
        }
    }

    @Test
    void truncatedFileReportsTheRecordThatIsCut() {
        byte[] f = java.util.HexFormat.of().parseHex("d4c3b2a1020004000000000000000000ffff000001000000"
                + "00000000000000004000000040000000" + "00000000");
        PacketCapture c = Dissect.pcap(f);
        assertEquals(List.of(new Problem(24, 20, "truncated: packet 1 records 64 captured bytes, file has 4")),
                c.problems());
    }

    @Test
    void ipv6AddressesUseTheShortestForm() {
        byte[] a = new byte[16];
        a[15] = 1;
        assertEquals("::1", org.wirelab.wire.Addresses.text(a, 0, 16));
    }
}

package org.wirelab.tap;

import org.wirelab.wire.Direction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wirelab.wire.Direction.CLIENT_TO_SERVER;
import static org.wirelab.wire.Direction.SERVER_TO_CLIENT;
import static org.wirelab.tap.Wire.accept;
import static org.wirelab.tap.Wire.ascii;
import static org.wirelab.tap.Wire.connect;
import static org.wirelab.tap.Wire.readExactly;
import static org.wirelab.tap.Wire.readToEnd;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.testing.Tools;

class TapTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    private <T extends AutoCloseable> T use(T resource) {
        open.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void forwardsBothWaysAndRecordsEveryByteWithAddresses() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));

        client.getOutputStream().write(ascii("hello"));
        assertEquals("hello", readExactly(upstream, 5));
        upstream.getOutputStream().write(ascii("world\r\n"));
        assertEquals("world\r\n", readExactly(client, 7));
        tap.awaitBytes(SERVER_TO_CLIENT, 7);

        Connection c = tap.recording().connection(1);
        assertEquals("hello", new String(c.stream(CLIENT_TO_SERVER), StandardCharsets.US_ASCII));
        assertEquals("world\\r\\n", c.printable(SERVER_TO_CLIENT));
        assertEquals(client.getLocalSocketAddress(), c.client());
        assertEquals(upstream.getLocalSocketAddress(), c.server());
        assertEquals(upstream.getRemoteSocketAddress(), c.tapServerSide().orElseThrow());
        assertEquals(client.getRemoteSocketAddress(), c.tapClientSide());
        assertEquals(List.of(TapEvent.Kind.OPEN, TapEvent.Kind.DATA, TapEvent.Kind.DATA),
                c.events().stream().map(TapEvent::kind).toList());
        assertEquals("client 127.0.0.1:" + client.getLocalPort() + " → tap 127.0.0.1:" + tap.port()
                + ", tap 127.0.0.1:" + upstream.getPort() + " → server 127.0.0.1:" + server.getLocalPort(),
                c.events().get(0).note());
        TapEvent reply = c.events(SERVER_TO_CLIENT).get(0);
        assertEquals(0, reply.offset());
        assertEquals("world\\r\\n", reply.printable());
        assertTrue(reply.toString().contains("#1 ") && reply.toString().endsWith("server → client DATA 7 B @0: world\\r\\n"),
                reply.toString());
    }

    @Test
    void halfCloseIsForwardedAndTheOtherDirectionKeepsFlowing() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));

        client.getOutputStream().write(ascii("request"));
        client.shutdownOutput();
        assertEquals("request", readToEnd(upstream));           // EOF: the FIN came through
        upstream.getOutputStream().write(ascii("answer after FIN"));
        upstream.shutdownOutput();
        assertEquals("answer after FIN", readToEnd(client));
        tap.awaitClosed();

        List<String> seen = tap.recording().connection(1).events().stream()
                .map(e -> e.kind() + e.direction().map(d -> " " + d).orElse("")).toList();
        assertEquals(List.of("OPEN", "DATA client → server", "FIN client → server", "DATA server → client",
                "FIN server → client", "CLOSE"), seen);
    }

    @Test
    void resetFromTheClientReachesTheServerAsReset() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));
        client.getOutputStream().write(ascii("x"));
        assertEquals("x", readExactly(upstream, 1));

        client.setSoLinger(true, 0);
        client.close();
        SocketException e = assertThrows(SocketException.class, () -> upstream.getInputStream().read());
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
        tap.awaitClosed();
        TapEvent reset = tap.recording().connection(1).events().stream()
                .filter(ev -> ev.kind() == TapEvent.Kind.RESET).findFirst().orElseThrow();
        assertEquals(Optional.of(CLIENT_TO_SERVER), reset.direction());
        assertEquals(1, reset.offset());
    }

    @Test
    void resetFromTheServerReachesTheClientAsReset() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));

        upstream.setSoLinger(true, 0);
        upstream.close();
        SocketException e = assertThrows(SocketException.class, () -> client.getInputStream().read());
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
        tap.awaitClosed();
        assertEquals(List.of(TapEvent.Kind.OPEN, TapEvent.Kind.RESET, TapEvent.Kind.CLOSE),
                tap.recording().connection(1).events().stream().map(TapEvent::kind).toList());
        assertEquals(Optional.of(SERVER_TO_CLIENT), tap.recording().connection(1).events().get(1).direction());
    }

    @Test
    void slowReaderPausesTheFastSender() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));
        long size = 64L << 20;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                byte[] chunk = new byte[1 << 16];
                for (long at = 0; at < size; at += chunk.length) {
                    client.getOutputStream().write(chunk);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // the server reads nothing: once the socket buffers on both legs are full the tap stops reading
        long seen = -1;
        while (seen != tap.recording().byteCount(CLIENT_TO_SERVER)) {
            seen = tap.recording().byteCount(CLIENT_TO_SERVER);
            Thread.sleep(300);
        }
        assertFalse(writer.isDone(), "the client should be blocked in write");
        assertTrue(seen < 32L << 20, "the tap read " + seen + " bytes ahead of a reader that read none");
        System.out.printf("backpressure: the tap stopped after reading %d KiB of 64 MiB%n", seen >> 10);

        assertEquals(size, upstream.getInputStream().readNBytes((int) size).length);
        writer.get(30, TimeUnit.SECONDS);
        assertEquals(size, tap.awaitBytes(CLIENT_TO_SERVER, size).recording().byteCount(CLIENT_TO_SERVER));
    }

    @Test
    void idleDropStopsForwardingWhileBothLegsStayOpen() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        tap.idleTimeout(Duration.ofMillis(200), IdleAction.DROP);
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));
        client.getOutputStream().write(ascii("ping"));
        assertEquals("ping", readExactly(upstream, 4));

        waitUntil(() -> tap.recording().connection(1).idleDropped().isPresent(), "idle DROP");
        client.getOutputStream().write(ascii("late"));
        upstream.getOutputStream().write(ascii("also late"));
        tap.awaitBytes(CLIENT_TO_SERVER, 8).awaitBytes(SERVER_TO_CLIENT, 9);
        upstream.setSoTimeout(300);
        client.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> upstream.getInputStream().read());
        assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());

        Connection c = tap.recording().connection(1);
        assertTrue(c.isOpen());
        assertEquals("pinglate", new String(c.stream(CLIENT_TO_SERVER), StandardCharsets.US_ASCII));
        assertEquals("not forwarded: idle timeout DROP", c.events(CLIENT_TO_SERVER).get(1).note());
    }

    @Test
    void idleResetSendsResetToBothSides() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        tap.idleTimeout(Duration.ofMillis(200), IdleAction.RESET);
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));
        client.getOutputStream().write(ascii("ping"));
        assertEquals("ping", readExactly(upstream, 4));

        assertTrue(assertThrows(SocketException.class, () -> client.getInputStream().read()).getMessage().contains("reset"));
        assertTrue(assertThrows(SocketException.class, () -> upstream.getInputStream().read()).getMessage().contains("reset"));
        tap.awaitClosed();
        List<TapEvent> resets = tap.recording().connection(1).events().stream()
                .filter(e -> e.kind() == TapEvent.Kind.RESET).toList();
        assertEquals(2, resets.size());
        assertEquals("sent by the tap to the client (idle timeout)", resets.get(0).note());
    }

    @Test
    void resetByIdSendsResetToBothSides() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        Socket client = use(connect(tap));
        Socket upstream = use(accept(server));
        tap.awaitConnections(1);

        tap.reset(1);
        assertTrue(assertThrows(SocketException.class, () -> client.getInputStream().read()).getMessage().contains("reset"));
        assertTrue(assertThrows(SocketException.class, () -> upstream.getInputStream().read()).getMessage().contains("reset"));
        assertThrows(java.util.NoSuchElementException.class, () -> tap.reset(7));

        Socket second = use(connect(tap));
        Socket secondUpstream = use(accept(server));
        tap.awaitConnections(2).resetAll();
        assertThrows(SocketException.class, () -> second.getInputStream().read());
        assertThrows(SocketException.class, () -> secondUpstream.getInputStream().read());
        tap.awaitClosed();
    }

    @Test
    void nettyHttpClientPassesThrough() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = ascii("netty ok");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        use(() -> http.stop(0));
        Tap tap = use(Tap.to(http.getAddress()));
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        use(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS));
        CompletableFuture<String> answer = new CompletableFuture<>();
        io.netty.channel.Channel ch = new io.netty.bootstrap.Bootstrap().group(group)
                .channel(io.netty.channel.socket.nio.NioSocketChannel.class)
                .handler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel c) {
                        c.pipeline().addLast(new io.netty.handler.codec.http.HttpClientCodec(),
                                new io.netty.handler.codec.http.HttpObjectAggregator(65536),
                                new io.netty.channel.SimpleChannelInboundHandler<io.netty.handler.codec.http.FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx,
                                                                io.netty.handler.codec.http.FullHttpResponse r) {
                                        answer.complete(r.status().code() + " " + r.content().toString(StandardCharsets.US_ASCII));
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(tap.address()).syncUninterruptibly().channel();
        io.netty.handler.codec.http.DefaultFullHttpRequest request = new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/hello");
        request.headers().set("Host", "127.0.0.1:" + tap.port());
        ch.writeAndFlush(request);
        assertEquals("200 netty ok", answer.get(5, TimeUnit.SECONDS));
        tap.awaitClosed();
        Connection c = tap.recording().connection(1);
        assertTrue(c.printable(CLIENT_TO_SERVER).startsWith("GET /hello HTTP/1.1\\r\\n"), c.printable(CLIENT_TO_SERVER));
        assertTrue(c.printable(SERVER_TO_CLIENT).startsWith("HTTP/1.1 200 OK\\r\\n"), c.printable(SERVER_TO_CLIENT));
        assertTrue(c.printable(SERVER_TO_CLIENT).endsWith("\\r\\n\\r\\nnetty ok"), c.printable(SERVER_TO_CLIENT));
    }

    @Test
    void refusedServerIsRecordedAndResetsTheClient() throws Exception {
        int closedPort;
        try (ServerSocket s = Wire.server()) {
            closedPort = s.getLocalPort();
        }
        Tap tap = use(Tap.to("127.0.0.1", closedPort));
        Socket client = use(connect(tap));
        assertThrows(SocketException.class, () -> client.getInputStream().read());
        tap.awaitClosed();
        TapEvent reset = tap.recording().connection(1).events().get(1);
        assertEquals(TapEvent.Kind.RESET, reset.kind());
        assertTrue(reset.note().startsWith("connect to /127.0.0.1:" + closedPort + " failed"), reset.note());
    }

    @Test
    void awaitTimesOutWithWhatItSaw() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)));
        use(connect(tap));
        Duration before = Lifecycle.timeout();
        Lifecycle.timeout(Duration.ofMillis(300));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tap.awaitConnections(2));
            assertEquals("tap: waited 300 ms for 2 connections, saw 1", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> tap.awaitBytes(CLIENT_TO_SERVER, 10));
            assertEquals("tap: waited 300 ms for 10 bytes client → server, saw 0", e.getMessage());
        } finally {
            Lifecycle.timeout(before);
        }
    }

    @Test
    void jdkHttpClientAndWebSocketPassThrough() throws Exception {
        WsEchoServer ws = use(new WsEchoServer());
        Tap tap = use(Tap.to(ws.address()));
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(tap.uri("ws", "/chat"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                echoed.complete(data.toString());
                return null;
            }
        }).get(5, TimeUnit.SECONDS);
        socket.sendText("Hello", true).get(5, TimeUnit.SECONDS);
        assertEquals("Hello", echoed.get(5, TimeUnit.SECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        // the server answers the close and sends FIN; the JDK client may keep its side open
        waitUntil(() -> tap.recording().connection(1).events(SERVER_TO_CLIENT).stream()
                .anyMatch(e -> e.kind() == TapEvent.Kind.FIN), "FIN from the server");

        Connection c = tap.recording().connection(1);
        assertTrue(c.printable(CLIENT_TO_SERVER).startsWith("GET /chat HTTP/1.1\\r\\n"), c.printable(CLIENT_TO_SERVER));
        String down = HexFormat.of().formatHex(c.stream(SERVER_TO_CLIENT));
        assertTrue(c.printable(SERVER_TO_CLIENT).startsWith("HTTP/1.1 101 Switching Protocols\\r\\n"));
        assertTrue(down.contains("810548656c6c6f"), "RFC 6455 §5.7 unmasked Hello frame: " + down);
        assertTrue(down.contains("880203e8"), "close 1000 from the server: " + down);
    }

    @Test
    void curlExchangeEqualsTheBytesOnTheWire() throws Exception {
        Path curl = Tools.require("curl");
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/bytes", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        use(() -> http.stop(0));
        Tap tap = use(Tap.to(http.getAddress()));
        Wire.Capture capture = use(new Wire.Capture(tap.port()));

        Process p = new ProcessBuilder(curl.toString(), "-sS", "--http1.1", "-o", "/dev/null", "--data-binary", "a=1&b=\u00e9",
                tap.uri("http", "/bytes").toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        tap.awaitClosed();

        assertRecordingEqualsCapture(tap.recording().connection(1), capture);
    }

    @Test
    void pythonWebSocketExchangeEqualsTheBytesOnTheWire() throws Exception {
        Path python = Tools.pythonWithWebsockets();
        WsEchoServer ws = use(new WsEchoServer());
        Tap tap = use(Tap.to(ws.address()));
        Wire.Capture capture = use(new Wire.Capture(tap.port()));
        String script = String.join("\n",
                "import asyncio, sys",
                "from websockets.asyncio.client import connect",
                "async def main():",
                "    async with connect(sys.argv[1]) as ws:",
                "        await ws.send('Hello')",
                "        assert await ws.recv() == 'Hello'",
                "        await ws.send(bytes(range(256)))",
                "        assert await ws.recv() == bytes(range(256))",
                "asyncio.run(main())");
        Process p = new ProcessBuilder(python.toString(), "-c", script, tap.uri("ws", "/chat").toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        tap.awaitClosed();

        Connection c = tap.recording().connection(1);
        assertTrue(new String(c.stream(SERVER_TO_CLIENT), StandardCharsets.ISO_8859_1)
                .startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        assertRecordingEqualsCapture(c, capture);
    }

    private static void assertRecordingEqualsCapture(Connection c, Wire.Capture capture) throws Exception {
        byte[][] wire = capture.follow();
        assertEquals("127.0.0.1:" + c.client().getPort(), capture.node0(), "follow's node 0 is the client");
        assertTrue(wire[0].length > 0 && wire[1].length > 0, "tshark saw payload both ways");
        assertArrayEquals(wire[0], c.stream(CLIENT_TO_SERVER), "client → server");
        assertArrayEquals(wire[1], c.stream(SERVER_TO_CLIENT), "server → client");
        assertEquals(wire[0].length, c.byteCount(CLIENT_TO_SERVER));
        assertEquals(wire[1].length, c.byteCount(SERVER_TO_CLIENT));
    }

    @Test
    void restartingUnderOneKeyLeavesOnePortAndNoExtraThreadsOrFiles() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap.to(Wire.address(server)).close();                // first use loads Netty's shared pieces
        int tracked = Lifecycle.openCount();
        int threads = Thread.getAllStackTraces().size();
        long fds = openFiles();
        List<String> fdTargets = fdTargets();

        List<Integer> ports = new ArrayList<>();
        Tap last = null;
        for (int i = 0; i < 20; i++) {
            last = Tap.to(Wire.address(server));              // same statement, same key: replaces the previous
            ports.add(last.port());
        }
        assertEquals(tracked + 1, Lifecycle.openCount());
        for (int port : ports.subList(0, 19)) {
            if (port == last.port()) {
                continue;                                     // the kernel handed a freed port to the last tap
            }
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "port " + port + " should be closed");
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), last.port())) {
            assertTrue(s.isConnected());
            accept(server).close();
        }
        last.close();
        assertFalse(Lifecycle.openCount() > tracked);

        waitUntil(() -> Thread.getAllStackTraces().size() <= threads, "threads back to " + threads);
        List<String> fdsBefore = fdTargets;
        waitUntil(() -> openFiles() <= fds, () -> "open files back to " + fds + "; new: " + newSockets(fdsBefore)
                + " server " + server.getLocalPort() + " taps " + ports);
        System.out.printf("lifecycle: threads %d -> %d, fds %d -> %d after 20 restarts%n",
                threads, Thread.getAllStackTraces().size(), fds, openFiles());
    }

    static long openFiles() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newSockets(List<String> before) {
        StringBuilder out = new StringBuilder();
        for (String fd : fdTargets()) {
            if (before.contains(fd)) {
                continue;
            }
            out.append(fd);
            String inode = fd.replaceAll(".*socket:\\[(\\d+)\\]", "$1");
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                try {
                    Files.readAllLines(Path.of(table)).stream().filter(l -> l.contains(" " + inode + " "))
                            .forEach(l -> out.append(" ").append(l.strip()));
                } catch (IOException e) {
                    out.append(" ?");
                }
            }
            out.append("; ");
        }
        return out.toString();
    }

    static List<String> fdTargets() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return p.getFileName() + "=" + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return p.getFileName() + "=?";
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        waitUntil(done, () -> what);
    }

    static void waitUntil(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for " + what.get());
            }
            Thread.sleep(10);
        }
    }
    @Test
    void handshakeDelayHoldsTheFirstBytesOfEachNewConnection() throws Exception {
        ServerSocket server = use(Wire.server());
        Tap tap = use(Tap.to(Wire.address(server)).handshakeDelay(Duration.ofMillis(200)));
        long start = System.nanoTime();
        Socket client = use(connect(tap));
        client.getOutputStream().write(ascii("first"));
        Socket upstream = use(accept(server));
        assertEquals("first", readExactly(upstream, 5));
        long arrived = System.nanoTime();

        // a lower bound only: the tap connects to the server no sooner than the delay
        assertTrue(arrived - start >= TimeUnit.MILLISECONDS.toNanos(200), (arrived - start) / 1_000_000 + " ms");
        Connection c = tap.recording().connection(1);
        assertTrue(c.events().get(0).nanos() - start >= TimeUnit.MILLISECONDS.toNanos(200));
        assertEquals(List.of(TapEvent.Kind.OPEN, TapEvent.Kind.DATA), c.events().stream().map(TapEvent::kind).toList());
        assertThrows(IllegalArgumentException.class, () -> tap.handshakeDelay(Duration.ofMillis(-1)));
    }
}

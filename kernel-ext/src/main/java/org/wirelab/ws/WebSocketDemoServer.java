package org.wirelab.ws;

import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketMessage;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.wirelab.lifecycle.Failures;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;
import org.wirelab.lifecycle.Refusals;
import org.wirelab.lifecycle.Settings;
import org.wirelab.lifecycle.Waits;

/**
 * A WebSocket server on loopback (RFC 6455, Netty's WebSocketServerHandshaker13) that echoes
 * messages, pushes, pings, closes with a chosen code and fragments on demand. No extension is
 * ever accepted (no permessage-deflate), so every payload byte on the wire is readable.
 *
 * <p>Bad handshakes are answered in protocol terms: 400 with a body such as
 * {@code not a WebSocket request: missing Sec-WebSocket-Key} (or {@code missing Host}, RFC 9112
 * §3.2), or 426 with {@code Sec-WebSocket-Version: 13} for another version (RFC 6455 §4.4). A
 * connection whose opening handshake is not done within {@code handshakeTimeout} (default 10 s)
 * of connecting is answered 408 and closed. Past {@code maxConnections} (default 1000) open
 * connections, a new one is answered 503 with {@code Connection: close} and closed; the others go
 * on. A frame that breaks RFC 6455 (unmasked, a reserved opcode or RSV bit, a fragmented or over
 * 125-byte control frame, a stray continuation, a bad close payload) fails the connection with close
 * 1002 and the decoder's reason; a text message that is not UTF-8 with 1007; a frame over
 * {@code maxFramePayload} or a message over 1 MiB with 1009 (§7.1.7, §7.4.1). Each of these answers
 * is listed in {@link #refusals()}, e.g. {@code connection 3: close 1002, fragmented control frame}.
 *
 * <pre>
 * GET /ws HTTP/1.1
 * Host: 127.0.0.1:40123
 * Upgrade: websocket
 * Connection: Upgrade
 * Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
 * Sec-WebSocket-Version: 13
 *
 * HTTP/1.1 101 Switching Protocols
 * upgrade: websocket
 * connection: upgrade
 * sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
 *
 * client: 81 85 37 fa 21 3d 7f 9f 4d 51 58   (masked "Hello")
 * server: 81 05 48 65 6c 6c 6f               (echo, unmasked)
 * </pre>
 *
 * <pre>{@code
 * var server = WebSocketDemoServer.start();
 * var ws = HttpClient.newHttpClient().newWebSocketBuilder()
 *         .buildAsync(server.uri(), new WebSocket.Listener() {}).join();
 * ws.sendText("Hello", true);
 * server.takeMessage()          // TEXT (0x1) 5 bytes in 1 frame(s) from client 1: Hello
 * }</pre>
 */
public final class WebSocketDemoServer implements AutoCloseable {

    /** How many pushes {@link #pushEvery(Duration, Supplier)} sends at most: 100. */
    public static final int DEFAULT_PUSH_COUNT = 100;

    final Builder config;
    private final EventLoopGroup group = Listeners.group();
    final Failures failures = new Failures();
    final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final LinkedBlockingQueue<WebSocketMessage> messages = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<WebSocketMessage> pongs = new LinkedBlockingQueue<>();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final Refusals refusals = new Refusals();
    /** How many refusals {@link #refusals()} keeps, newest last: {@value}. */
    public static final int MAX_REFUSALS_KEPT = Refusals.KEPT;
    private final AtomicInteger serving = new AtomicInteger();
    private volatile Channel listener;

    private WebSocketDemoServer(Builder config) {
        this.config = config;
    }

    /** Starts an echo server on ws://127.0.0.1:{ephemeral}/ws. */
    public static WebSocketDemoServer start() {
        return newBuilder().start();
    }

    /** A builder, e.g. {@code WebSocketDemoServer.newBuilder().subprotocols("chat", "superchat").start()}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Settings of a {@link WebSocketDemoServer}. */
    public static final class Builder {
        private int port;
        String host = Listeners.LOOPBACK;
        String path = "/ws";
        List<String> subprotocols = List.of();
        int maxFramePayload = 65536;
        boolean echo = true;
        Duration handshakeTimeout = Duration.ofSeconds(10);
        int maxConnections = 1000;

        private Builder() {
        }

        /**
         * The address to listen on, e.g. {@code "0.0.0.0"} for every interface; default
         * {@code 127.0.0.1}, loopback only. Beyond loopback the server is reachable from other
         * machines, and its {@code toString()} says so.
         */
        public Builder host(String host) {
            this.host = java.util.Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on, e.g. {@code 8080}; default 0 (ephemeral). */
        public Builder port(int port) {
            this.port = Listeners.port(port);
            return this;
        }

        /** The endpoint path, e.g. {@code "/chat"}; default {@code "/ws"}. */
        public Builder path(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /, was " + path);
            }
            this.path = path;
            return this;
        }

        /** Subprotocols it accepts (Sec-WebSocket-Protocol), e.g. {@code "chat", "superchat"}; default none. */
        public Builder subprotocols(String... names) {
            this.subprotocols = List.of(names);
            return this;
        }

        /** The largest frame payload accepted, e.g. {@code 125}; default 65536. Larger frames get close 1009. */
        public Builder maxFramePayload(int bytes) {
            this.maxFramePayload = Settings.positive("maxFramePayload", bytes);
            return this;
        }

        /**
         * How long a connection may take to complete its opening handshake, e.g.
         * {@code Duration.ofSeconds(10)} (the default); past it the answer is 408 and a close.
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Settings.positive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * How many connections may be open at once, e.g. {@code 1000} (the default); one more is
         * answered 503 with {@code Connection: close} and closed, the open ones go on.
         */
        public Builder maxConnections(int max) {
            this.maxConnections = Settings.positive("maxConnections", max);
            return this;
        }

        /** Whether each message is sent back; default true. */
        public Builder echo(boolean echo) {
            this.echo = echo;
            return this;
        }

        /** Binds and starts the server; re-running the same notebook statement closes the previous one. */
        public WebSocketDemoServer start() {
            WebSocketDemoServer server = new WebSocketDemoServer(this);
            return Lifecycle.start("ws-demo", server, s -> s.bind(port));
        }
    }

    private void bind(int port) {
        ServerBootstrap bootstrap = Listeners.serving(channels, ch -> {
            if (!Listeners.admit(ch, serving, config.maxConnections, this::refused)) {
                return;
            }
            ch.pipeline().addLast("codec", new HttpServerCodec());
            ch.pipeline().addLast("aggregator", new HttpObjectAggregator(8192));
            ch.pipeline().addLast("ws", new WsConnection(WebSocketDemoServer.this, accepted.incrementAndGet()));
        });
        listener = Listeners.listen(bootstrap, config.host, port);
    }

    /** The port it listens on, e.g. {@code 40123}. */
    public int port() {
        return address().getPort();
    }

    /** The address it listens on, e.g. {@code /127.0.0.1:40123}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The endpoint, e.g. {@code ws://127.0.0.1:40123/ws}. */
    public URI uri() {
        return URI.create("ws://" + Listeners.uriHost(address()) + ":" + port() + config.path);
    }

    /** How many TCP connections it accepted so far, upgraded or not, e.g. {@code 2}. */
    public int connections() {
        return accepted.get();
    }

    /** How many WebSocket clients are connected now, e.g. {@code 1}. */
    public int clients() {
        return (int) open.stream().filter(WsConnection::upgraded).count();
    }

    /** Sends {@code text} as one text frame to every connected client, e.g. {@code push("tick")}; returns how many got it. */
    public int push(String text) {
        Objects.requireNonNull(text, "text");
        return each(c -> c.send(new TextWebSocketFrame(text)));
    }

    /** Pushes {@code message.get()} every {@code period}, at most {@value #DEFAULT_PUSH_COUNT} times; stops on close. */
    public void pushEvery(Duration period, Supplier<String> message) {
        pushEvery(period, DEFAULT_PUSH_COUNT, message);
    }

    /** Pushes {@code message.get()} every {@code period}, e.g. {@code Duration.ofSeconds(1)}, {@code times} times. */
    public void pushEvery(Duration period, int times, Supplier<String> message) {
        if (period.isNegative() || period.isZero() || times < 1) {
            throw new IllegalArgumentException("pushEvery needs a positive period and times, was " + period + ", " + times);
        }
        AtomicInteger left = new AtomicInteger(times);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable task = () -> {
            if (left.getAndDecrement() <= 0) {
                self[0].cancel(false);
                return;
            }
            push(message.get());
        };
        synchronized (schedules) {
            self[0] = group.next().scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
            schedules.add(self[0]);
        }
    }

    /** Sends a ping (opcode 0x9) with {@code payload} (at most 125 bytes) to every client; their pongs go to {@link #takePong()}. */
    public int ping(byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("a ping payload is at most 125 bytes (RFC 6455 §5.5), was " + payload.length);
        }
        return each(c -> c.send(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload.clone()))));
    }

    /** Sends a ping whose payload is {@code text} in UTF-8, e.g. {@code ping("Hello")} is {@code 89 05 48 65 6c 6c 6f}. */
    public int ping(String text) {
        return ping(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code text} split into frames of {@code fragmentSize} payload bytes: a text frame
     * without FIN, continuation frames, the last with FIN; {@code ("Hello", 3)} is
     * {@code 01 03 48 65 6c} then {@code 80 02 6c 6f}. A split may fall inside a UTF-8 character.
     */
    public int sendFragmented(String text, int fragmentSize) {
        Settings.positive("fragmentSize", fragmentSize);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return each(c -> {
            int frames = Math.max(1, (bytes.length + fragmentSize - 1) / fragmentSize);
            for (int i = 0; i < frames; i++) {
                int from = i * fragmentSize;
                byte[] part = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + fragmentSize));
                boolean fin = i == frames - 1;
                WebSocketFrame frame = i == 0 ? new TextWebSocketFrame(fin, 0, Unpooled.wrappedBuffer(part))
                        : new ContinuationWebSocketFrame(fin, 0, Unpooled.wrappedBuffer(part));
                c.send(frame);
            }
        });
    }

    /**
     * Starts the closing handshake with every client (RFC 6455 §7): sends a close frame with
     * {@code code} and {@code reason}, e.g. {@code closeClients(1000, "")} is {@code 88 02 03 e8}, then
     * closes TCP when the client answers (or after {@link Lifecycle#timeout()}).
     */
    public int closeClients(int code, String reason) {
        // Netty accepts negative codes (no code) and codes past 4999, which RFC 6455 §7.4.2 leaves undefined.
        if (code < 0 || code > 4999 || !WebSocketCloseStatus.isValidStatusCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("a close reason is at most 123 bytes (RFC 6455 §5.5)");
        }
        return each(c -> c.startClose(code, reason));
    }

    /** The oldest message not taken yet, waiting at most {@link Lifecycle#timeout()}. */
    public WebSocketMessage takeMessage() {
        return takeMessage(Lifecycle.timeout());
    }

    /** The oldest message not taken yet, waiting at most {@code timeout}, e.g. {@code Duration.ofSeconds(1)}. */
    public WebSocketMessage takeMessage(Duration timeout) {
        return Waits.take(messages, timeout, "WebSocket message");
    }

    /** The oldest pong not taken yet, waiting at most {@link Lifecycle#timeout()}. */
    public WebSocketMessage takePong() {
        return takePong(Lifecycle.timeout());
    }

    /** The oldest pong not taken yet, waiting at most {@code timeout}. */
    public WebSocketMessage takePong(Duration timeout) {
        return Waits.take(pongs, timeout, "WebSocket pong");
    }


    void refused(String what) {
        refusals.add(what);
    }

    /** How many it refused so far, e.g. {@code 3}; {@link #refusals()} keeps the last {@value #MAX_REFUSALS_KEPT}. */
    public long refusalCount() {
        return refusals.count();
    }

    /**
     * What it refused, the last {@value #MAX_REFUSALS_KEPT}, oldest first, e.g. {@code [connection 1: 400, not a WebSocket request:
     * missing Host]}: bad handshakes (400, 404, 426), handshake timeouts (408), connections past
     * {@code maxConnections} (503) and frames that failed the connection (close 1002, 1007, 1009).
     */
    public List<String> refusals() {
        return refusals.list();
    }

    void received(WebSocketMessage message) {
        (message.opcode() == Opcode.PONG ? pongs : messages).add(message);
    }

    private int each(java.util.function.Consumer<WsConnection> action) {
        int n = 0;
        for (WsConnection c : open) {
            if (c.upgraded()) {
                c.run(() -> action.accept(c));
                n++;
            }
        }
        return n;
    }

    /** Stops listening, drops every connection without a closing handshake and shuts the event loop down. */
    @Override
    public void close() {
        Lifecycle.untrack(this);
        synchronized (schedules) {
            schedules.forEach(s -> s.cancel(false));
        }
        Listeners.close(listener, channels);
    }

    @Override
    public String toString() {
        return "WebSocketDemoServer " + (listener == null ? "(not bound)" : uri()) + ", " + clients()
                + " client(s), " + connections() + " connection(s)" + refusals + failures
                + (listener == null ? "" : Listeners.exposure(address()));
    }
}

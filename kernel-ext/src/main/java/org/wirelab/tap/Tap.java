package org.wirelab.tap;

import org.wirelab.wire.Direction;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;

/**
 * A TCP proxy on loopback that records every byte both ways: point any client at the tap and the
 * tap at any server. FIN is passed on as a half-close, RST as RST; latency, bandwidth and slicing
 * can be set per direction while traffic flows.
 *
 * <p>Every byte a peer sent before its FIN or RST is recorded and passed on first, then the FIN or
 * RST (e.g. a server's {@code 413} written just before it resets an upload it stopped reading).
 * Bytes toward the peer that reset are dropped; bytes the tap handed to a receiver's socket but
 * the receiver's window never took are lost with the RST, as on a direct connection. An RST that
 * comes after a peer's FIN, in answer to bytes already in the tap's send buffer, shows in no read
 * or write a proxy makes (reads after a FIN return end of stream): the other side then sees the FIN
 * alone, and the recording shows no RST either.
 *
 * <pre>{@code
 * var tap = Tap.to(server.address());            // listens on 127.0.0.1, ephemeral port
 * var response = client.send(HttpRequest.newBuilder(tap.uri("http", "/")).build(), ofString());
 * tap.recording()                                 // shows each connection's bytes
 * }</pre>
 */
public final class Tap implements AutoCloseable, Rich {

    private final InetSocketAddress target;
    private final long cap;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final Conditions[] conditions = {
        new Conditions(Direction.CLIENT_TO_SERVER), new Conditions(Direction.SERVER_TO_CLIENT)};
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Consumer<TapEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Object changed = new Object();
    private volatile long idleTimeoutNanos;
    private volatile IdleAction idleAction = IdleAction.DROP;
    private volatile boolean closed;

    private Tap(Builder b) {
        this.target = Objects.requireNonNull(b.target, "tap: no server address; call to(host, port)");
        this.cap = b.cap;
        this.group = Listeners.group();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.AUTO_CLOSE, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Link.READS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Link link = new Link(nextId.incrementAndGet(), Tap.this, ch, cap);
                        links.add(link);
                        changed();
                        link.connect();
                    }
                })
                .bind(b.listenHost, b.listenPort)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IllegalStateException("tap: cannot listen on " + b.listenHost + ":" + b.listenPort + ": "
                    + (cause == null ? "timed out" : cause.getMessage()), cause);
        }
        this.serverChannel = bound.channel();
    }

    /** Starts a tap in front of {@code server}, listening on 127.0.0.1 with an ephemeral port. */
    public static Tap to(InetSocketAddress server) {
        return newBuilder().to(server).start();
    }

    /** Starts a tap in front of {@code host:port}, e.g. {@code Tap.to("127.0.0.1", 8080)}. */
    public static Tap to(String host, int port) {
        return newBuilder().to(host, port).start();
    }

    /** A builder: {@code Tap.newBuilder().listen(9000).to("127.0.0.1", 8080).cap(64 * 1024).start()}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Options of a tap before it starts. */
    public static final class Builder {
        private String listenHost = "127.0.0.1";
        private int listenPort;
        private InetSocketAddress target;
        private long cap = 1 << 20;

        private Builder() {
        }

        /** Listens on 127.0.0.1:{@code port}; default 0, an ephemeral port. */
        public Builder listen(int port) {
            return listen("127.0.0.1", port);
        }

        /** Listens on {@code host:port}, e.g. {@code listen("::1", 9000)}; default 127.0.0.1:0. */
        public Builder listen(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("tap: listen port must be 0..65535, was " + port);
            }
            this.listenHost = Objects.requireNonNull(host, "host");
            this.listenPort = port;
            return this;
        }

        /** The server to forward to, e.g. {@code server.address()}. */
        public Builder to(InetSocketAddress server) {
            this.target = Objects.requireNonNull(server, "server");
            return this;
        }

        /** The server to forward to, e.g. {@code to("127.0.0.1", 8080)}. */
        public Builder to(String host, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("tap: server port must be 1..65535, was " + port);
            }
            return to(new InetSocketAddress(host, port));
        }

        /**
         * Bytes kept per connection per direction, e.g. {@code 64 * 1024}; default 1 MiB. The first
         * half and the last half are kept, the middle is counted and dropped.
         */
        public Builder cap(long bytes) {
            if (bytes < 2 || bytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("tap: cap must be between 2 B and 2 GiB, was " + bytes);
            }
            this.cap = bytes;
            return this;
        }

        /** Binds and starts the tap, tracked by {@link Lifecycle} (re-running the cell closes the old one). */
        public Tap start() {
            return Lifecycle.track("tap", new Tap(this));
        }
    }

    // ---- addresses

    /** The port clients connect to, e.g. {@code 40001}. */
    public int port() {
        return address().getPort();
    }

    /** The address clients connect to, e.g. {@code /127.0.0.1:40001}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The server the tap forwards to, e.g. {@code /127.0.0.1:8080}. */
    public InetSocketAddress target() {
        return target;
    }

    /** A URI pointing at the tap, e.g. {@code uri("ws", "/chat")} is {@code ws://127.0.0.1:40001/chat}. */
    public URI uri(String scheme, String path) {
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        return URI.create(scheme + "://" + org.wirelab.lifecycle.Listeners.uriHost(address()) + ":" + port() + p);
    }

    // ---- conditions

    /** Conditions of client → server bytes, e.g. {@code tap.upstream().latency(Duration.ofMillis(50))}. */
    public Conditions upstream() {
        return conditions[Direction.CLIENT_TO_SERVER.ordinal()];
    }

    /** Conditions of server → client bytes, e.g. {@code tap.downstream().bandwidth(16_384)}. */
    public Conditions downstream() {
        return conditions[Direction.SERVER_TO_CLIENT.ordinal()];
    }

    Conditions conditions(Direction d) {
        return conditions[d.ordinal()];
    }

    /**
     * After {@code timeout} with no byte either way, a connection is dropped silently or reset, e.g.
     * {@code tap.idleTimeout(Duration.ofSeconds(30), IdleAction.DROP)}; default none, zero removes it.
     */
    public Tap idleTimeout(Duration timeout, IdleAction action) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("tap: idle timeout must be zero or positive, was " + timeout);
        }
        this.idleAction = Objects.requireNonNull(action, "action");
        this.idleTimeoutNanos = timeout.toNanos();
        return this;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    IdleAction idleAction() {
        return idleAction;
    }

    long idleCheckPeriodNanos() {
        long t = idleTimeoutNanos;
        long period = t == 0 ? TimeUnit.MILLISECONDS.toNanos(100) : t / 10;
        return Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(period, TimeUnit.MILLISECONDS.toNanos(100)));
    }

    /** Sends RST to both sides of connection {@code id}, e.g. {@code tap.reset(1)}. */
    public void reset(int connectionId) {
        Link link = links.stream().filter(l -> l.id == connectionId).findFirst()
                .orElseThrow(() -> new NoSuchElementException("tap: no connection #" + connectionId
                        + " (" + links.size() + " so far)"));
        resetOnLoop(link, "tap.reset(" + connectionId + ")");
    }

    /** Sends RST to both sides of every open connection. */
    public void resetAll() {
        for (Link link : links) {
            resetOnLoop(link, "tap.resetAll()");
        }
    }

    private void resetOnLoop(Link link, String why) {
        Channel ch = link.sourceOf(Direction.CLIENT_TO_SERVER);
        ch.eventLoop().execute(() -> link.resetByTap(why));
    }

    // ---- recording

    /** A snapshot of every connection so far; the tap keeps recording. */
    public Recording recording() {
        return new Recording(links.stream().map(Link::snapshot).toList(), Instant.now());
    }

    /**
     * Calls {@code listener} with every event as it happens, on the tap's I/O thread; e.g.
     * {@code tap.onEvent(System.out::println)}. DATA events carry their bytes.
     */
    public Tap onEvent(Consumer<TapEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    void emit(TapEvent event) {
        for (Consumer<TapEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                System.err.println("wirelab tap: event listener failed: " + e);
            }
        }
    }

    void changed() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    Duration timeout() {
        return Lifecycle.timeout();
    }

    // ---- waiting

    /** Waits until {@code n} connections have reached the server (or failed to), up to {@link Lifecycle#timeout()}. */
    public Tap awaitConnections(int n) {
        await(() -> settledCount() >= n, () -> "tap: waited %s for " + n + (n == 1 ? " connection" : " connections")
                + ", saw " + settledCount());
        return this;
    }

    /** Waits until every connection so far is closed on both legs, up to {@link Lifecycle#timeout()}. */
    public Tap awaitClosed() {
        await(() -> links.stream().allMatch(Link::isClosed), () -> "tap: waited %s for all connections to close, "
                + links.stream().filter(l -> !l.isClosed()).count() + " of " + links.size() + " still open");
        return this;
    }

    /** Waits until {@code n} bytes went {@code direction} over all connections, up to {@link Lifecycle#timeout()}. */
    public Tap awaitBytes(Direction direction, long n) {
        LongSupplier seen = () -> links.stream().mapToLong(l -> l.total(direction)).sum();
        await(() -> seen.getAsLong() >= n, () -> "tap: waited %s for " + n + " bytes " + direction + ", saw "
                + seen.getAsLong());
        return this;
    }

    private long settledCount() {
        return links.stream().filter(Link::settled).count();
    }

    private void await(BooleanSupplier done, java.util.function.Supplier<String> failure) {
        Duration timeout = Lifecycle.timeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(String.format(failure.get(), seconds(timeout)));
                }
                try {
                    changed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("tap: interrupted while waiting", e);
                }
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    // ---- closing

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes every connection and the listening socket, stops the tap's threads and untracks it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().awaitUninterruptibly(timeout().toMillis());
        for (Link link : links) {
            Channel ch = link.sourceOf(Direction.CLIENT_TO_SERVER);
            if (!ch.eventLoop().isShuttingDown()) {
                ch.eventLoop().execute(link::closeBoth);
            }
        }
        awaitSocketsClosed();
        Lifecycle.untrack(this);
        changed();
    }

    // Waits for every connection's sockets to close; the shared event loops run on for the others.
    private void awaitSocketsClosed() {
        Listeners.released(serverChannel);
        long deadline = System.nanoTime() + timeout().toNanos();
        for (Link link : links) {
            for (Direction d : Direction.values()) {
                Channel ch = link.sourceOf(d);
                if (ch != null) {
                    ch.closeFuture().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
                }
            }
        }
    }

    /** E.g. {@code tap 127.0.0.1:40001 → 127.0.0.1:8080, 2 connections}. */
    @Override
    public String toString() {
        String from = closed ? "closed" : address().getAddress().getHostAddress() + ":" + port();
        return "tap " + from + " → " + target.getHostString() + ":" + target.getPort() + ", " + links.size()
                + (links.size() == 1 ? " connection" : " connections")
                + (closed ? "" : org.wirelab.lifecycle.Listeners.exposure(address()));
    }

    /** The tap line followed by its {@link #recording()}. */
    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, Object> rec = recording().mimeBundle();
        return MimeBundle.text(this + "\n" + rec.get(MimeBundle.TEXT))
                .html("<div class=\"wl-tap\"><p class=\"wl-heading\">" + org.wirelab.display.Html.escape(toString())
                        + "</p>" + rec.get(MimeBundle.HTML) + "</div>")
                .build();
    }

    // ---- handshake delay

    private volatile long handshakeDelayNanos;

    /**
     * Holds each new connection for {@code delay} before connecting on to the server, so its first
     * bytes pay one more round trip, as the SYN and SYN-ACK of a path with that round trip time would
     * (RFC 9293 §3.5); e.g. {@code handshakeDelay(Duration.ofMillis(50))}; default zero. Needed because
     * the kernel completes the client's handshake with the tap before the tap sees the connection.
     */
    public Tap handshakeDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("tap: handshake delay must be zero or positive, was " + delay);
        }
        this.handshakeDelayNanos = delay.toNanos();
        return this;
    }

    long handshakeDelayNanos() {
        return handshakeDelayNanos;
    }
}

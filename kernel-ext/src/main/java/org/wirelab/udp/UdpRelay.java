package org.wirelab.udp;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;
import org.wirelab.wire.Direction;
import org.wirelab.udp.RelayedDatagram.Fate;
import org.wirelab.lifecycle.Settings;

/**
 * A loopback UDP relay between a client and a UDP server that loses and reorders datagrams on
 * purpose, deterministically from a seed, so that UDP's lack of delivery and ordering guarantees
 * (RFC 768) can be seen on loopback, where nothing is ever lost.
 *
 * <p>The client sends to {@link #address()}; the relay sends on to the server from its own port
 * and sends the server's replies back to the client that spoke last. Impairments apply to the
 * client-to-server direction only unless {@link Builder#impairReplies(boolean)} is set. Every
 * datagram is recorded in {@link #datagrams()}, in the order the relay forwarded or dropped it.
 *
 * <pre>{@code
 * var echo = UdpEchoServer.start();
 * var relay = UdpRelay.newBuilder(echo.address()).dropEvery(3).reorder(2).start();
 * // client sends msg-1..msg-6 to relay.address(); the server sees msg-2 msg-1 msg-5 msg-4
 * relay.datagrams()   // #2 forwarded, #1 forwarded, #3 DROPPED, #5, #4, #6 DROPPED
 * }</pre>
 */
public final class UdpRelay implements AutoCloseable, Rich {

    private final Builder config;
    private final EventLoopGroup group = Listeners.group();
    private final List<RelayedDatagram> log = Collections.synchronizedList(new ArrayList<>());
    private final Impairment toServer;
    private final Impairment toClient;
    private volatile long startNanos;
    private volatile Channel front;
    private volatile Channel back;
    private volatile InetSocketAddress client;

    private UdpRelay(Builder config) {
        this.config = config;
        this.toServer = new Impairment(Direction.CLIENT_TO_SERVER, config.seed, true);
        this.toClient = new Impairment(Direction.SERVER_TO_CLIENT, ~config.seed, config.impairReplies);
    }

    /** A relay to {@code server} that forwards everything unchanged, e.g. {@code UdpRelay.start(echo.address())}. */
    public static UdpRelay start(InetSocketAddress server) {
        return newBuilder(server).start();
    }

    /** A builder for a relay to {@code server}, e.g. {@code UdpRelay.newBuilder(echo.address()).drop(0.2)}. */
    public static Builder newBuilder(InetSocketAddress server) {
        return new Builder(Objects.requireNonNull(server, "server"));
    }

    /** Settings of a {@link UdpRelay}; by default nothing is dropped or reordered. */
    public static final class Builder {
        private final InetSocketAddress server;
        private int port;
        private long seed = 1;
        private double dropProbability;
        private int dropEvery;
        private int reorderWindow = 1;
        private Duration hold = Duration.ofMillis(100);
        private boolean impairReplies;

        private Builder(InetSocketAddress server) {
            this.server = server;
        }

        /** The port clients send to, e.g. {@code 9999}; default 0 (ephemeral). */
        public Builder port(int port) {
            this.port = Listeners.port(port);
            return this;
        }

        /** The seed of every random choice, e.g. {@code 42}; default 1. Same seed, same losses. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Drops each datagram with this probability, e.g. {@code 0.25}; default 0. Datagram n
         * toward the server is dropped when the n-th {@code nextDouble()} of {@code new Random(seed)}
         * is below it, so a seed always loses the same datagrams.
         */
        public Builder drop(double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("drop probability must be 0..1, was " + probability);
            }
            this.dropProbability = probability;
            return this;
        }

        /** Drops every n-th datagram (the 3rd, 6th, ... for {@code 3}); default 0 (off). */
        public Builder dropEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("dropEvery must be >= 0, was " + n);
            }
            this.dropEvery = n;
            return this;
        }

        /**
         * Holds datagrams in groups of {@code window} and sends each full group in a shuffled
         * (never unchanged) order; {@code 2} swaps each pair. Default 1 (off).
         */
        public Builder reorder(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("reorder window must be >= 1, was " + window);
            }
            this.reorderWindow = window;
            return this;
        }

        /** How long an incomplete reorder group waits before it is sent in order; default 100 ms. */
        public Builder hold(Duration hold) {
            this.hold = Settings.positive("hold", hold);
            return this;
        }

        /** Also drops and reorders the server's replies; default false (replies pass untouched). */
        public Builder impairReplies(boolean impair) {
            this.impairReplies = impair;
            return this;
        }

        /** Binds the relay on 127.0.0.1; re-running the same notebook statement closes the previous one. */
        public UdpRelay start() {
            UdpRelay relay = new UdpRelay(this);
            return Lifecycle.start("udp-relay", relay, s -> s.bind());
        }
    }

    private void bind() {
        startNanos = System.nanoTime();
        front = Udp.bind(group, new InetSocketAddress("127.0.0.1", config.port), new Side(true));
        back = Udp.bind(group, new InetSocketAddress("127.0.0.1", 0), new Side(false));
    }

    /** The address clients send to, e.g. {@code /127.0.0.1:40001}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) front.localAddress();
    }

    /** The port clients send to, e.g. {@code 40001}. */
    public int port() {
        return address().getPort();
    }

    /** Every datagram so far, in the order it was forwarded or dropped (an immutable copy). */
    public List<RelayedDatagram> datagrams() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Closes both sockets and shuts the event loop down; held datagrams are discarded. */
    @Override
    public void close() {
        Lifecycle.untrack(this);
        if (back != null) {
            back.close().awaitUninterruptibly();
        }
        Udp.close(front);
    }

    /** One line per datagram, as {@link RelayedDatagram#toString()}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("UdpRelay ");
        text.append(front == null ? "(not bound)" : "127.0.0.1:" + port()).append(" -> ").append(config.server);
        for (RelayedDatagram d : datagrams()) {
            text.append('\n').append(d);
        }
        return text.toString();
    }

    /** text/plain as {@link #toString()}; text/html a table: seq, direction, time, bytes, fate, payload. */
    @Override
    public java.util.Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<table><tr><th>#</th><th>direction</th><th>ms</th>"
                + "<th>bytes</th><th>fate</th><th>payload</th></tr>");
        for (RelayedDatagram d : datagrams()) {
            html.append("<tr").append(d.fate() == Fate.DROPPED ? " style=\"text-decoration:line-through\"" : "")
                    .append("><td>").append(d.seq()).append("</td><td>").append(Html.escape(d.direction().toString()))
                    .append("</td><td>").append(String.format("%.1f", d.at().toNanos() / 1e6))
                    .append("</td><td>").append(d.bytes().length).append("</td><td>").append(d.fate())
                    .append("</td><td><code>").append(Html.escape(d.hex())).append("</code></td></tr>");
        }
        html.append("</table>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }

    private void record(int seq, Direction direction, byte[] bytes, Fate fate) {
        log.add(new RelayedDatagram(seq, direction, Duration.ofNanos(System.nanoTime() - startNanos), bytes, fate));
    }

    // Receives on one of the two sockets; both run on the same single event loop thread.
    private final class Side extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean fromClient;

        Side(boolean fromClient) {
            this.fromClient = fromClient;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = ByteBufUtil.getBytes(packet.content());
            if (fromClient) {
                client = packet.sender();
                toServer.arrive(bytes);
            } else if (client != null) {
                toClient.arrive(bytes);
            }
        }
    }

    private final class Impairment {
        private final Direction direction;
        private final Random drops;
        private final Random shuffles;
        private final boolean active;
        private final List<Object[]> held = new ArrayList<>();
        private int seq;
        private ScheduledFuture<?> flush;

        Impairment(Direction direction, long seed, boolean active) {
            this.direction = direction;
            this.drops = new Random(seed);
            this.shuffles = new Random(seed + 1);
            this.active = active;
        }

        void arrive(byte[] bytes) {
            int n = ++seq;
            if (!active) {
                send(n, bytes);
                return;
            }
            double draw = drops.nextDouble();
            boolean every = config.dropEvery > 0 && n % config.dropEvery == 0;
            if (every || draw < config.dropProbability) {
                record(n, direction, bytes, Fate.DROPPED);
                return;
            }
            if (config.reorderWindow <= 1) {
                send(n, bytes);
                return;
            }
            held.add(new Object[] {n, bytes});
            if (held.size() == config.reorderWindow) {
                if (flush != null) {
                    flush.cancel(false);
                    flush = null;
                }
                List<Object[]> group = new ArrayList<>(held);
                held.clear();
                List<Object[]> shuffled = new ArrayList<>(group);
                Collections.shuffle(shuffled, shuffles);
                if (shuffled.equals(group)) {
                    Collections.reverse(shuffled);
                }
                shuffled.forEach(h -> send((Integer) h[0], (byte[]) h[1]));
            } else if (flush == null) {
                flush = front.eventLoop().schedule(this::flushInOrder, config.hold.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void flushInOrder() {
            flush = null;
            List<Object[]> group = new ArrayList<>(held);
            held.clear();
            group.forEach(h -> send((Integer) h[0], (byte[]) h[1]));
        }

        private void send(int n, byte[] bytes) {
            boolean up = direction == Direction.CLIENT_TO_SERVER;
            Channel out = up ? back : front;
            InetSocketAddress to = up ? config.server : client;
            record(n, direction, bytes, Fate.FORWARDED);
            out.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), to));
        }
    }
}

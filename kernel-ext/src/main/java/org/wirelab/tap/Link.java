package org.wirelab.tap;

import org.wirelab.wire.Direction;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One live connection through the tap: the client leg (accepted), the server leg (connected by the
 * tap), both recorded. Channel work runs on the client leg's event loop, which the server leg shares;
 * recorded state is guarded by {@code this} so snapshots can be taken from any thread.
 */
final class Link {

    /**
     * How each leg reads: buffers that grow to 256 KiB while a peer streams (Netty's default stops
     * at 64 KiB), so bulk data crosses in a quarter of the reads and writes. Measured in
     * BENCHMARKS.md, figure 1: 1 GiB through the tap went from about 0.50 to 0.55 of direct loopback.
     */
    static final RecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);


    private static final int EVENT_HEAD = 5_000;
    private static final int EVENT_TAIL = 5_000;
    // bytes a shaper may hold (latency, bandwidth) before reading from the sender pauses
    private static final long QUEUE_LIMIT = 1 << 20;
    // how long a side that refused our writes with a reset may take to show its last bytes and RST
    private static final long RESET_DRAIN_MILLIS = 1000;

    final int id;
    private final Tap tap;
    private final SocketChannel inbound;
    private volatile Channel outbound;
    // the server leg from the moment the connect starts, so closing can end a connect in progress
    private Channel connecting;
    private final StreamLog[] logs;
    private final Shaper[] shapers = new Shaper[2];

    // guarded by this
    private final List<TapEvent> headEvents = new ArrayList<>();
    private final ArrayDeque<TapEvent> tailEvents = new ArrayDeque<>();
    private long droppedEvents;
    private final InetSocketAddress client;
    private final InetSocketAddress tapClientSide;
    private InetSocketAddress server;
    private InetSocketAddress tapServerSide;
    private Instant opened;
    private Instant closed;
    private Instant idleDropped;
    private boolean settled;

    // event loop only
    private final boolean[] finSeen = new boolean[2];
    private final boolean[] finForwarded = new boolean[2];
    private final boolean[] inactive = new boolean[2];
    // a write of that direction's bytes failed: the peer they go to has reset
    private final boolean[] sinkGone = new boolean[2];
    private boolean reset;
    private boolean closing;
    private volatile long lastActivity = System.nanoTime();

    Link(int id, Tap tap, SocketChannel inbound, long cap) {
        this.id = id;
        this.tap = tap;
        this.inbound = inbound;
        this.logs = new StreamLog[] {new StreamLog(cap), new StreamLog(cap)};
        this.client = inbound.remoteAddress();
        this.tapClientSide = inbound.localAddress();
        this.server = tap.target();
        for (Direction d : Direction.values()) {
            shapers[d.ordinal()] = new Shaper(this, d, tap.conditions(d));
        }
    }

    // ---- wiring

    void connect() {
        inbound.pipeline().addLast("wirelab-tap", new Leg(Direction.CLIENT_TO_SERVER));
        long delay = tap.handshakeDelayNanos();
        if (delay > 0) {
            inbound.eventLoop().schedule(this::connectToServer, delay, TimeUnit.NANOSECONDS);
        } else {
            connectToServer();
        }
    }

    private void connectToServer() {
        if (closing || reset || !inbound.isActive()) {
            markSettled();
            return;
        }
        connecting = new Bootstrap()
                .group(inbound.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // a failed write must not close the leg: bytes sent before a reset may still wait to be read
                .option(ChannelOption.AUTO_CLOSE, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, tap.timeout().toMillis()))
                .handler(new Leg(Direction.SERVER_TO_CLIENT))
                .connect(tap.target())
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        connected(f.channel());
                    } else {
                        connectFailed(f.cause());
                    }
                })
                .channel();
    }

    private void connected(Channel ch) {
        if (closing || !inbound.isActive()) {
            ch.close();
            markSettled();
            return;
        }
        outbound = ch;
        synchronized (this) {
            server = (InetSocketAddress) ch.remoteAddress();
            tapServerSide = (InetSocketAddress) ch.localAddress();
            opened = Instant.now();
        }
        record(TapEvent.Kind.OPEN, null, 0, null, "client " + address(client) + " → tap " + address(tapClientSide)
                + ", tap " + address(tapServerSide) + " → server " + address(server));
        markSettled();
        lastActivity = System.nanoTime();
        inbound.config().setAutoRead(true);
        ch.config().setAutoRead(true);
        scheduleIdleCheck();
    }

    private void connectFailed(Throwable cause) {
        if (closing || reset) {
            markSettled();
            return;
        }
        synchronized (this) {
            opened = Instant.now();
        }
        record(TapEvent.Kind.OPEN, null, 0, null, "client leg only");
        reset = true;
        record(TapEvent.Kind.RESET, Direction.SERVER_TO_CLIENT, 0, null,
                "connect to " + tap.target() + " failed: " + message(cause));
        markSettled();
        abort(inbound);
    }

    private void markSettled() {
        synchronized (this) {
            settled = true;
        }
        tap.changed();
    }

    Channel sourceOf(Direction d) {
        return d == Direction.CLIENT_TO_SERVER ? inbound : outbound;
    }

    Channel sinkOf(Direction d) {
        return d == Direction.CLIENT_TO_SERVER ? outbound : inbound;
    }

    // ---- what the legs report

    private void read(Direction d, ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0) {
            buf.release();
            return;
        }
        // a copy of every byte only for onEvent listeners; the recording copies just what its cap keeps
        byte[] copy = null;
        if (tap.hasListeners()) {
            copy = new byte[n];
            buf.getBytes(buf.readerIndex(), copy);
        }
        lastActivity = System.nanoTime();
        boolean dropping;
        TapEvent event;
        synchronized (this) {
            dropping = idleDropped != null;
            StreamLog log = logs[d.ordinal()];
            event = new TapEvent(id, TapEvent.Kind.DATA, d, Instant.now(), System.nanoTime(), log.total(), n, null,
                    dropping ? "not forwarded: idle timeout DROP" : "");
            log.append(buf, buf.readerIndex(), n);
            addEvent(event);
        }
        tap.changed();
        if (copy != null) {
            tap.emit(event.withBytes(copy));
        }
        if (dropping || reset || sinkGone[d.ordinal()]) {
            buf.release();
        } else {
            shapers[d.ordinal()].send(buf);
        }
    }

    private void inputShutdown(Direction d) {
        if (sinkGone[d.reverse().ordinal()]) {
            // this side already refused our writes with a reset; its end is that RST, not a FIN
            failed(d, new IOException("Connection reset by peer"));
            return;
        }
        if (reset || finSeen[d.ordinal()]) {
            return;
        }
        finSeen[d.ordinal()] = true;
        lastActivity = System.nanoTime();
        boolean dropping;
        synchronized (this) {
            dropping = idleDropped != null;
        }
        record(TapEvent.Kind.FIN, d, logs(d), null, dropping ? "not forwarded: idle timeout DROP" : "");
        if (!dropping) {
            shapers[d.ordinal()].fin();
        }
    }

    void finForwarded(Direction d) {
        finForwarded[d.ordinal()] = true;
        if (finForwarded[0] && finForwarded[1]) {
            closing = true;
            inbound.close();
            if (outbound != null) {
                outbound.close();
            }
        }
    }

    /**
     * The side that {@code d} reads from reset (a read error): every byte it sent before the RST
     * has been read by now (Netty passes on the bytes of a read before its error), so they are
     * written to the other side first and only then is the RST passed on. Bytes toward the side
     * that reset can no longer arrive and are dropped.
     */
    void failed(Direction d, Throwable cause) {
        if (reset || closing || cause instanceof ClosedChannelException) {
            return;
        }
        if (!(cause instanceof IOException)) {
            System.err.println("wirelab tap #" + id + ": " + cause);
        }
        reset = true;
        record(TapEvent.Kind.RESET, d, logs(d), null, message(cause));
        shapers[d.reverse().ordinal()].discard();
        Channel sink = sinkOf(d);
        shapers[d.ordinal()].resetAfterWrites(() -> abort(sink));
        Channel source = sourceOf(d);
        if (source != null) {
            source.close();
        }
    }

    /**
     * Writing {@code d}'s bytes failed: the side they go to has reset. What that side sent before
     * its RST may still wait in the tap's receive buffer, so its leg keeps reading until the reset
     * (or the end of its bytes) shows there, and {@link #failed} passes it all on before the RST.
     */
    void writeFailed(Direction d, Throwable cause) {
        if (reset || closing || sinkGone[d.ordinal()] || cause instanceof ClosedChannelException) {
            return;
        }
        sinkGone[d.ordinal()] = true;
        shapers[d.ordinal()].discard();
        Channel gone = sinkOf(d);
        if (gone == null || !gone.isActive()) {
            failed(d.reverse(), cause);
            return;
        }
        gone.config().setAutoRead(true);
        gone.read();
        // should the leg show neither bytes nor an end, the reset is passed on all the same
        gone.eventLoop().schedule(() -> failed(d.reverse(), cause), RESET_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** RST to both sides, sent by the tap itself. */
    void resetByTap(String why) {
        if (reset || closing) {
            return;
        }
        reset = true;
        record(TapEvent.Kind.RESET, Direction.SERVER_TO_CLIENT, logs(Direction.SERVER_TO_CLIENT), null,
                "sent by the tap to the client (" + why + ")");
        if (outbound != null) {
            record(TapEvent.Kind.RESET, Direction.CLIENT_TO_SERVER, logs(Direction.CLIENT_TO_SERVER), null,
                    "sent by the tap to the server (" + why + ")");
        }
        discardQueues();
        abort(inbound);
        abort(outbound == null ? connecting : outbound);
    }

    /** Normal close of both legs, e.g. when the tap closes. */
    void closeBoth() {
        if (closing) {
            return;
        }
        closing = true;
        discardQueues();
        inbound.close();
        if (outbound != null) {
            outbound.close();
        } else if (connecting != null) {
            connecting.close();
        }
    }

    private void inactive(Direction d) {
        inactive[d.ordinal()] = true;
        if (!reset && !closing) {
            // one leg went away without FIN or RST reaching us: end the other one too
            closing = true;
            Channel other = d == Direction.CLIENT_TO_SERVER ? (outbound == null ? connecting : outbound) : inbound;
            if (other != null) {
                other.close();
            }
        }
        boolean done = inactive[0] && (outbound == null || inactive[1]);
        if (done) {
            synchronized (this) {
                if (closed != null) {
                    return;
                }
            }
            discardQueues();
            record(TapEvent.Kind.CLOSE, null, 0, null, "");
            synchronized (this) {
                closed = Instant.now();
            }
            tap.changed();
        }
    }

    void updateReading() {
        boolean dropping;
        synchronized (this) {
            dropping = idleDropped != null;
        }
        for (Direction d : Direction.values()) {
            Channel source = sourceOf(d);
            Channel sink = sinkOf(d);
            if (source == null || sink == null || !source.isActive()) {
                continue;
            }
            boolean want = dropping || sinkGone[d.reverse().ordinal()]
                    || (sink.isWritable() && shapers[d.ordinal()].queuedBytes() < QUEUE_LIMIT);
            if (source.config().isAutoRead() != want) {
                source.config().setAutoRead(want);
            }
        }
    }

    // ---- idle timeout

    private void scheduleIdleCheck() {
        inbound.eventLoop().schedule(this::idleCheck, tap.idleCheckPeriodNanos(), TimeUnit.NANOSECONDS);
    }

    private void idleCheck() {
        if (reset || closing || !inbound.isActive()) {
            return;
        }
        long timeout = tap.idleTimeoutNanos();
        boolean alreadyDropped;
        synchronized (this) {
            alreadyDropped = idleDropped != null;
        }
        if (timeout > 0 && !alreadyDropped && System.nanoTime() - lastActivity >= timeout) {
            if (tap.idleAction() == IdleAction.RESET) {
                resetByTap("idle timeout");
                return;
            }
            synchronized (this) {
                idleDropped = Instant.now();
            }
            discardQueues();
            updateReading();
            tap.changed();
        }
        scheduleIdleCheck();
    }

    // ---- recording

    private long logs(Direction d) {
        synchronized (this) {
            return logs[d.ordinal()].total();
        }
    }

    private void record(TapEvent.Kind kind, Direction d, long offset, byte[] bytes, String note) {
        TapEvent event = new TapEvent(id, kind, d, Instant.now(), System.nanoTime(), offset, 0, bytes, note);
        synchronized (this) {
            addEvent(event);
        }
        tap.changed();
        tap.emit(event);
    }

    // guarded by this
    private void addEvent(TapEvent event) {
        if (headEvents.size() < EVENT_HEAD) {
            headEvents.add(event);
            return;
        }
        tailEvents.add(event);
        if (tailEvents.size() > EVENT_TAIL) {
            tailEvents.poll();
            droppedEvents++;
        }
    }

    private void discardQueues() {
        shapers[0].discard();
        shapers[1].discard();
    }

    synchronized boolean settled() {
        return settled;
    }

    synchronized boolean isClosed() {
        return closed != null;
    }

    synchronized long total(Direction d) {
        return logs[d.ordinal()].total();
    }

    synchronized Connection snapshot() {
        List<TapEvent> events = new ArrayList<>(headEvents.size() + tailEvents.size());
        events.addAll(headEvents);
        events.addAll(tailEvents);
        StreamLog c2s = logs[0];
        StreamLog s2c = logs[1];
        return new Connection(id, client, tapClientSide, tapServerSide, server, opened, closed, idleDropped,
                new Connection.Side(c2s.headCopy(), c2s.tailCopy(), c2s.total()),
                new Connection.Side(s2c.headCopy(), s2c.tailCopy(), s2c.total()),
                events, droppedEvents);
    }

    private static void abort(Channel ch) {
        if (ch != null && ch.isOpen()) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
        }
    }

    private static String address(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The handler on each leg; {@code direction} is the way the bytes it reads travel. */
    private final class Leg extends ChannelInboundHandlerAdapter {
        private final Direction direction;

        Leg(Direction direction) {
            this.direction = direction;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                read(direction, buf);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                inputShutdown(direction);
            } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(direction, cause);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            updateReading();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive(direction);
        }
    }
}

package org.wirelab.tap;

import org.wirelab.wire.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Passes one direction's bytes and FIN to the sink leg under the current {@link Conditions}. Runs
 * only on the connection's event loop. Each piece gets a due time that never goes backwards, so
 * jitter and slicing cannot reorder the stream.
 */
final class Shaper {

    // buf null: the FIN (or, with reset set, the RST) that follows every byte queued before it
    private record Item(ByteBuf buf, long due, Runnable reset) {
        Item(ByteBuf buf, long due) {
            this(buf, due, null);
        }

        boolean fin() {
            return buf == null;
        }
    }

    private final Link link;
    private final Direction direction;
    private final Conditions conditions;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long lastDue = Long.MIN_VALUE;
    private long bandwidthFree = Long.MIN_VALUE;
    private ChannelFuture lastWrite;
    private ScheduledFuture<?> timer;
    private boolean finDone;

    Shaper(Link link, Direction direction, Conditions conditions) {
        this.link = link;
        this.direction = direction;
        this.conditions = conditions;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    void send(ByteBuf buf) {
        Conditions.Settings s = conditions.settings();
        if (s.none() && queue.isEmpty()) {
            write(buf);
            return;
        }
        long now = System.nanoTime();
        long due = now + s.latencyNanos()
                + (s.jitterNanos() > 0 ? ThreadLocalRandom.current().nextLong(s.jitterNanos() + 1) : 0);
        due = Math.max(due, lastDue);
        int piece = s.sliceBytes() > 0 ? s.sliceBytes() : Math.max(1, buf.readableBytes());
        boolean first = true;
        while (buf.isReadable()) {
            ByteBuf part = buf.readRetainedSlice(Math.min(piece, buf.readableBytes()));
            if (!first) {
                due += s.slicePauseNanos();
            }
            if (s.bytesPerSecond() > 0) {
                long start = Math.max(due, bandwidthFree);
                due = start + part.readableBytes() * 1_000_000_000L / s.bytesPerSecond();
                bandwidthFree = due;
            }
            queue.add(new Item(part, due));
            queuedBytes += part.readableBytes();
            first = false;
        }
        buf.release();
        lastDue = due;
        drain();
    }

    void fin() {
        if (queue.isEmpty()) {
            shutdownAfterWrites();
        } else {
            queue.add(new Item(null, lastDue));
        }
    }

    /** The source reset: every byte queued goes out first, then {@code abort} sends the RST. */
    void resetAfterWrites(Runnable abort) {
        if (queue.isEmpty()) {
            abortAfterWrites(abort);
        } else {
            queue.add(new Item(null, lastDue, abort));
            drain();
        }
    }

    private void abortAfterWrites(Runnable abort) {
        finDone = true;
        if (lastWrite == null || lastWrite.isDone()) {
            abort.run();
        } else {
            lastWrite.addListener(f -> abort.run());
        }
    }

    private void drain() {
        long now = System.nanoTime();
        while (!queue.isEmpty() && queue.peek().due() <= now) {
            Item item = queue.poll();
            if (item.reset() != null) {
                abortAfterWrites(item.reset());
            } else if (item.fin()) {
                shutdownAfterWrites();
            } else {
                queuedBytes -= item.buf().readableBytes();
                write(item.buf());
            }
        }
        if (!queue.isEmpty() && timer == null) {
            Channel sink = link.sinkOf(direction);
            if (sink == null) {
                return;
            }
            timer = sink.eventLoop().schedule(() -> {
                timer = null;
                drain();
            }, queue.peek().due() - now, TimeUnit.NANOSECONDS);
        }
        link.updateReading();
    }

    private void write(ByteBuf buf) {
        Channel sink = link.sinkOf(direction);
        if (sink == null || !sink.isActive()) {
            buf.release();
            return;
        }
        lastWrite = sink.writeAndFlush(buf);
        lastWrite.addListener(f -> {
            if (!f.isSuccess()) {
                link.writeFailed(direction, f.cause());
            }
        });
        if (!sink.isWritable()) {
            link.updateReading();
        }
    }

    // Netty's shutdownOutput fails writes still buffered, so the FIN waits for the last write.
    private void shutdownAfterWrites() {
        if (finDone) {
            return;
        }
        finDone = true;
        Channel sink = link.sinkOf(direction);
        if (!(sink instanceof DuplexChannel duplex) || !sink.isActive()) {
            return;
        }
        Runnable shut = () -> duplex.shutdownOutput().addListener(f -> link.finForwarded(direction));
        if (lastWrite == null || lastWrite.isDone()) {
            shut.run();
        } else {
            lastWrite.addListener(f -> shut.run());
        }
    }

    void discard() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        Item item;
        while ((item = queue.poll()) != null) {
            if (item.buf() != null) {
                item.buf().release();
            }
        }
        queuedBytes = 0;
    }
}

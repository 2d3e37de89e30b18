package org.wirelab.lifecycle;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The one Netty event-loop group of every demo server and tap, and binding and closing their
 * listeners, all on 127.0.0.1. The group is made on first use with {@value #THREADS} daemon threads
 * ({@code wirelab-io-...}), shared so that a notebook's thread count does not grow with its servers,
 * and shut down by {@link Lifecycle#closeAll()} on kernel shutdown.
 */
public final class Listeners {

    /** {@value}: threads of the shared event-loop group, whatever the number of servers and taps. */
    public static final int THREADS = 2;

    private static EventLoopGroup group;

    private Listeners() {
    }

    /** The shared event-loop group, made on first use (again after a kernel shutdown closed it). */
    public static synchronized EventLoopGroup group() {
        if (group == null || group.isShuttingDown()) {
            EventLoopGroup made = new MultiThreadIoEventLoopGroup(THREADS, new DefaultThreadFactory("wirelab-io", true),
                    NioIoHandler.newFactory());
            group = made;
            Lifecycle.shared("netty event loops", () -> made.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(Lifecycle.timeout().toMillis()));
        }
        return group;
    }

    /** Binds {@code bootstrap} to 127.0.0.1:{@code port} (0: ephemeral), or fails saying why. */
    public static Channel listen(ServerBootstrap bootstrap, int port) {
        var future = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": "
                    + future.cause().getMessage(), future.cause());
        }
        return future.channel();
    }

    /**
     * Stops listening and closes every connection, waiting for each close within
     * {@link Lifecycle#timeout()}; the shared event loops keep running for the other servers.
     */
    public static void close(Channel listener, Iterable<Channel> connections) {
        long deadline = System.nanoTime() + Lifecycle.timeout().toNanos();
        if (listener != null) {
            listener.close().awaitUninterruptibly(Lifecycle.timeout().toMillis());
        }
        for (Channel ch : connections) {
            ch.close();
        }
        for (Channel ch : connections) {
            ch.closeFuture().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        }
        if (listener != null) {
            released(listener);
        }
    }

    /**
     * Waits until a closed channel's socket is released. The JDK closes the socket of a channel
     * registered with a selector only when that selector next selects (java.nio's deferred close);
     * a loop that was shut down did that at once, a shared loop does it on its next turn. Two
     * delayed no-op tasks, each run only after the loop has selected again, wait for that turn.
     */
    public static void released(Channel closed) {
        for (int turn = 0; turn < 2; turn++) {
            closed.eventLoop().schedule(() -> { }, 2, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(Lifecycle.timeout().toMillis());
        }
    }
}

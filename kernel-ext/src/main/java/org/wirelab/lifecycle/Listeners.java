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
 * listeners, on 127.0.0.1 unless a call names another address. The group is made on first use with {@value #THREADS} daemon threads
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

    /**
     * A server bootstrap on the shared group with TCP_NODELAY on every accepted connection, whose
     * connections are kept in {@code open} until they close and then set up by {@code init}, e.g.
     * {@code listen(Listeners.serving(channels, ch -> ch.pipeline().addLast(new Echo())), host, port)}.
     */
    public static ServerBootstrap serving(java.util.Set<Channel> open,
            java.util.function.Consumer<io.netty.channel.socket.SocketChannel> init) {
        return new ServerBootstrap()
                .group(group())
                .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                .childOption(io.netty.channel.ChannelOption.TCP_NODELAY, true)
                .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                        open.add(ch);
                        ch.closeFuture().addListener(f -> open.remove(ch));
                        init.accept(ch);
                    }
                });
    }

    /**
     * Admits connection {@code ch} while fewer than {@code max} are {@code serving} (and counts it
     * until it closes); past that, tells {@code refused} why and answers 503 with {@link #refuse}.
     * Returns whether it was admitted.
     */
    public static boolean admit(io.netty.channel.socket.SocketChannel ch, java.util.concurrent.atomic.AtomicInteger serving,
            int max, java.util.function.Consumer<String> refused) {
        if (serving.get() >= max) {
            refused.accept("connection from port " + ch.remoteAddress().getPort() + ": 503, already "
                    + serving.get() + " open (maxConnections " + max + ")");
            ch.pipeline().addLast("refuse", refuse(max));
            return false;
        }
        serving.incrementAndGet();
        ch.closeFuture().addListener(f -> serving.decrementAndGet());
        return true;
    }

    /** {@code port} if it is a TCP or UDP port, 0 (ephemeral) to 65535, else fails saying so. */
    public static int port(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        return port;
    }

    /** Binds {@code bootstrap} to 127.0.0.1:{@code port} (0: ephemeral), or fails saying why. */
    public static Channel listen(ServerBootstrap bootstrap, int port) {
        return listen(bootstrap, LOOPBACK, port);
    }

    /** The address the demo servers listen on unless told otherwise: {@value}. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Binds {@code bootstrap} to {@code host:port}, e.g. {@code ("0.0.0.0", 8080)}, or fails saying why. */
    public static Channel listen(ServerBootstrap bootstrap, String host, int port) {
        var future = bootstrap.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": "
                    + future.cause().getMessage(), future.cause());
        }
        return future.channel();
    }

    /**
     * What a server's output adds when it listens beyond loopback, e.g. {@code ", listening on
     * every interface: reachable from other machines"}; empty on loopback.
     */
    public static String exposure(InetSocketAddress listening) {
        java.net.InetAddress a = listening.getAddress();
        if (a == null || a.isLoopbackAddress()) {
            return "";
        }
        if (a.isAnyLocalAddress()) {
            return ", listening on every interface: reachable from other machines";
        }
        return ", listening on " + a.getHostAddress() + ", not loopback: reachable from other machines";
    }

    /**
     * The host for a URI to a server or tap listening on {@code listening}, as RFC 3986 writes it:
     * 127.0.0.1 for every-interface, an IPv6 address in brackets, e.g. {@code [::1]}.
     */
    public static String uriHost(InetSocketAddress listening) {
        java.net.InetAddress a = listening.getAddress();
        if (a == null || a.isAnyLocalAddress()) {
            return LOOPBACK;
        }
        String host = a.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    // how long a connection refused past maxConnections may still send before it is closed
    static final long REFUSE_LINGER_MILLIS = 2000;

    /**
     * The handler for a connection past a server's {@code max} connections: it answers
     * {@code 503 Service Unavailable} with {@code Connection: close} at once, discards what the
     * client sends until it closes or for at most 2 s, so that closing with unread input (a reset)
     * does not destroy the 503 on its way, and closes.
     */
    public static io.netty.channel.ChannelHandler refuse(int max) {
        return new Refuse(max);
    }

    private static final class Refuse extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final int max;

        Refuse(int max) {
            this.max = max;
        }

        @Override
        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
            byte[] body = ("too many connections: this server serves at most " + max + " at once\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String head = "HTTP/1.1 503 Service Unavailable\r\n"
                    + "content-type: text/plain; charset=US-ASCII\r\n"
                    + "content-length: " + body.length + "\r\n"
                    + "connection: close\r\n"
                    + "date: " + io.netty.handler.codec.DateFormatter.format(new java.util.Date()) + "\r\n\r\n";
            var bytes = io.netty.buffer.Unpooled.wrappedBuffer(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII), body);
            ctx.writeAndFlush(bytes).addListener(f -> {
                if (ctx.channel() instanceof io.netty.channel.socket.SocketChannel socket && socket.isActive()) {
                    socket.shutdownOutput();
                }
            });
            ctx.executor().schedule(() -> {
                ctx.close();
            }, REFUSE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
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

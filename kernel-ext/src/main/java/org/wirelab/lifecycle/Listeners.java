package org.wirelab.lifecycle;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Binding and closing the Netty listeners of wirelab's demo servers: on 127.0.0.1 unless a call names another address. */
public final class Listeners {

    private Listeners() {
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

    /** The host for a URI to a server listening on {@code listening}: 127.0.0.1 for loopback and every-interface. */
    public static String uriHost(InetSocketAddress listening) {
        java.net.InetAddress a = listening.getAddress();
        if (a == null || a.isLoopbackAddress() || a.isAnyLocalAddress()) {
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

    /** Stops listening, closes every connection and shuts the event loop down, within {@link Lifecycle#timeout()}. */
    public static void close(Channel listener, Iterable<Channel> connections, EventLoopGroup group) {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        for (Channel ch : connections) {
            ch.close();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(Lifecycle.timeout().toMillis());
    }
}

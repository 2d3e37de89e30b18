package org.wirelab.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.wirelab.lifecycle.Failures;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;
import org.wirelab.lifecycle.Settings;

/**
 * A TCP echo server on loopback (RFC 862 without the fixed port): every byte received is sent back.
 *
 * <p>With {@link Builder#closeAfter(long)} the server echoes that many bytes and then closes
 * first, so it sends the first FIN and it is the server's side that sits in TIME_WAIT
 * (RFC 9293 §3.6). Without it the client closes first and keeps TIME_WAIT itself.
 *
 * <pre>{@code
 * var echo = TcpEchoServer.start();                 // 127.0.0.1, ephemeral port
 * var s = new Socket("127.0.0.1", echo.port());
 * s.getOutputStream().write("hi".getBytes());      // client -> server: 68 69
 * s.getInputStream().readNBytes(2);                 // server -> client: 68 69
 * }</pre>
 */
public final class TcpEchoServer implements AutoCloseable {

    private final Builder config;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Channel listener;
    final Failures failures = new Failures();

    private TcpEchoServer(Builder config) {
        this.config = config;
    }

    /** Starts an echo server on 127.0.0.1 and an ephemeral port, no delay, never closing first. */
    public static TcpEchoServer start() {
        return newBuilder().start();
    }

    /** A builder: {@code TcpEchoServer.newBuilder().delay(Duration.ofMillis(100)).start()}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Settings of a {@link TcpEchoServer}. */
    public static final class Builder {
        private int port;
        String host = Listeners.LOOPBACK;
        private Duration delay = Duration.ZERO;
        private long closeAfter = -1;

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

        /** The port to listen on, e.g. {@code 7007}; default 0 (ephemeral). */
        public Builder port(int port) {
            this.port = Listeners.port(port);
            return this;
        }

        /** Waits this long before echoing each read, e.g. {@code Duration.ofMillis(200)}; default zero. */
        public Builder delay(Duration delay) {
            this.delay = Settings.notNegative("delay", delay);
            return this;
        }

        /** Echoes {@code bytes} bytes per connection, e.g. {@code 5}, then closes first (sends FIN); default never. */
        public Builder closeAfter(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("closeAfter must be >= 0, was " + bytes);
            }
            this.closeAfter = bytes;
            return this;
        }

        /** Binds and starts the server; re-running the same notebook statement closes the previous one. */
        public TcpEchoServer start() {
            TcpEchoServer server = new TcpEchoServer(this);
            return Lifecycle.start("tcp-echo", server, s -> s.bind(port));
        }
    }

    private void bind(int port) {
        ServerBootstrap bootstrap = Listeners.serving(channels, ch -> {
            connections.incrementAndGet();
            ch.pipeline().addLast(new Echo());
        }).childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        listener = Listeners.listen(bootstrap, config.host, port);
    }

    /** The port it listens on, e.g. {@code 43817}. */
    public int port() {
        return address().getPort();
    }

    /** The address it listens on, e.g. {@code /127.0.0.1:43817}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** How many connections it accepted so far, e.g. {@code 3}. */
    public int connections() {
        return connections.get();
    }

    /** Stops listening, closes every connection and shuts the event loop down. */
    @Override
    public void close() {
        Lifecycle.untrack(this);
        Listeners.close(listener, channels);
    }

    @Override
    public String toString() {
        return "TcpEchoServer " + (listener == null ? "(not bound)" : Listeners.uriHost(address()) + ":" + port())
                + ", " + connections() + " connection(s)" + failures + (listener == null ? "" : Listeners.exposure(address()));
    }

    // One instance per connection: counts the bytes echoed for closeAfter.
    final class Echo extends ChannelInboundHandlerAdapter {
        private long echoed;
        private boolean closing;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (config.closeAfter == 0) {
                closing = true;
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (closing) {
                in.release();
                return;
            }
            ByteBuf out = in;
            boolean last = false;
            if (config.closeAfter >= 0) {
                long left = config.closeAfter - echoed;
                if (in.readableBytes() >= left) {
                    out = in.readRetainedSlice((int) left);
                    in.release();
                    last = true;
                    closing = true;
                }
            }
            echoed += out.readableBytes();
            ByteBuf reply = out;
            boolean close = last;
            Runnable write = () -> {
                var f = ctx.writeAndFlush(reply);
                if (close) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            };
            if (config.delay.isZero()) {
                write.run();
            } else {
                ctx.executor().schedule(write, config.delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            // The client sent FIN (half-close): answer with ours once pending echoes are out.
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                Runnable fin = () -> ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(ChannelFutureListener.CLOSE);
                if (config.delay.isZero()) {
                    fin.run();
                } else {
                    ctx.executor().schedule(fin, config.delay.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(ctx.channel(), cause);
            ctx.close();
        }
    }
}

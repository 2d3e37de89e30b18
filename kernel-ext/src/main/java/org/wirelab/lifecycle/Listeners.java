package org.wirelab.lifecycle;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Binding and closing the Netty listeners of wirelab's demo servers, all on 127.0.0.1. */
public final class Listeners {

    private Listeners() {
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

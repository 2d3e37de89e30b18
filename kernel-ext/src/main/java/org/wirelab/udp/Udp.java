package org.wirelab.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;

// Socket plumbing shared by the echo server and the relay.
final class Udp {
    private Udp() {
    }

    static Channel bind(EventLoopGroup group, InetSocketAddress local, io.netty.channel.ChannelHandler handler) {
        var future = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(handler)
                .bind(local).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IllegalStateException("cannot bind UDP " + local + ": " + future.cause().getMessage(),
                    future.cause());
        }
        return future.channel();
    }

    // Closes the socket; the shared event loops (Listeners.group()) keep running for the others.
    static void close(Channel channel) {
        if (channel != null) {
            channel.close().awaitUninterruptibly(Lifecycle.timeout().toMillis());
            Listeners.released(channel);
        }
    }
}

package org.wirelab.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;

/**
 * A UDP echo server on loopback (RFC 862 §3): each datagram is sent back as one datagram with the
 * same payload to the address and port it came from.
 *
 * <pre>{@code
 * var echo = UdpEchoServer.start();
 * var socket = new DatagramSocket();
 * socket.send(new DatagramPacket("ping".getBytes(), 4, echo.address()));   // 70 69 6e 67
 * }</pre>
 */
public final class UdpEchoServer implements AutoCloseable {

    private final EventLoopGroup group = Listeners.group();
    private final AtomicInteger datagrams = new AtomicInteger();
    private volatile Channel channel;

    private UdpEchoServer() {
    }

    /** Starts on 127.0.0.1 and an ephemeral port; re-running the statement closes the previous one. */
    public static UdpEchoServer start() {
        return start(0);
    }

    /** Starts on 127.0.0.1 and {@code port}, e.g. {@code 7007}; 0 picks an ephemeral port. */
    public static UdpEchoServer start(int port) {
        UdpEchoServer server = new UdpEchoServer();
        Lifecycle.track("udp-echo", server);
        try {
            server.channel = Udp.bind(server.group, new InetSocketAddress("127.0.0.1", port),
                    new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            server.datagrams.incrementAndGet();
                            ctx.writeAndFlush(new DatagramPacket(packet.content().retain(), packet.sender()));
                        }
                    });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The port it listens on, e.g. {@code 51234}. */
    public int port() {
        return address().getPort();
    }

    /** The address it listens on, e.g. {@code /127.0.0.1:51234}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** How many datagrams it echoed so far, e.g. {@code 10}. */
    public int datagramCount() {
        return datagrams.get();
    }

    /** Closes the socket and shuts the event loop down. */
    @Override
    public void close() {
        Lifecycle.untrack(this);
        Udp.close(channel);
    }

    @Override
    public String toString() {
        return "UdpEchoServer " + (channel == null ? "(not bound)" : "127.0.0.1:" + port())
                + ", " + datagramCount() + " datagram(s) echoed";
    }
}

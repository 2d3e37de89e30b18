package org.wirelab.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

    private static ServerBootstrap bootstrap(EventLoopGroup group) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter());
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("wirelab-io-")).count();
    }

    @Test
    void aTakenPortFailsNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Listeners.listen(bootstrap(Listeners.group()), taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), e.getMessage());
        }
    }

    @Test
    void closeReleasesThePortAndLeavesTheSharedLoopsRunning() {
        Channel listener = Listeners.listen(bootstrap(Listeners.group()), 0);
        int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
        Listeners.close(listener, List.of());
        assertFalse(listener.isOpen());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertFalse(Listeners.group().isShuttingDown());
    }

    @Test
    void tenListenersShareOneGroupOfAtMostTwoThreads() {
        EventLoopGroup group = Listeners.group();
        List<Channel> listeners = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertSame(group, Listeners.group());
            listeners.add(Listeners.listen(bootstrap(Listeners.group()), 0));
        }
        assertTrue(ioThreads() <= Listeners.THREADS, ioThreads() + " wirelab-io threads");
        listeners.forEach(l -> Listeners.close(l, List.of()));
    }

    @Test
    void kernelShutdownClosesTheSharedGroupAndTheNextUseMakesANewOne() {
        EventLoopGroup first = Listeners.group();
        Lifecycle.closeAll();
        assertTrue(first.isShuttingDown());
        assertEquals(0, Lifecycle.openCount());
        EventLoopGroup second = Listeners.group();
        assertFalse(second.isShuttingDown());
    }
}

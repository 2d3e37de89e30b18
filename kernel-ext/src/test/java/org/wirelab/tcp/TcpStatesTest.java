package org.wirelab.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.lifecycle.Lifecycle;

class TcpStatesTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    // Polls /proc/net/tcp until `ok` holds, at most Lifecycle.timeout(); returns the last snapshot.
    static TcpStates until(Predicate<TcpStates> ok, int... ports) throws InterruptedException {
        long deadline = System.nanoTime() + Lifecycle.timeout().toNanos();
        TcpStates s = TcpStates.sample(ports);
        while (!ok.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(2);
            s = TcpStates.sample(ports);
        }
        return s;
    }

    static Optional<TcpState> of(TcpState state) {
        return Optional.of(state);
    }

    @Test
    void procAddressesDecodeAsTheKernelPrintsThem() {
        // /proc/net/tcp prints 32-bit words in host order: 127.0.0.1:8080 is 0100007F:1F90.
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), TcpStates.procAddress("0100007F:1F90"));
        assertEquals(new InetSocketAddress("::1", 443), TcpStates.procAddress("00000000000000000000000001000000:01BB"));
        TcpStates.Row row = TcpStates.parse(
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0");
        assertEquals("127.0.0.1:8080 → 0.0.0.0:0 LISTEN", row.toString());
    }

    @Test
    void stateCodesAreThoseOfTcpStatesH() {
        assertEquals(TcpState.ESTABLISHED, TcpState.of(0x01));
        assertEquals(TcpState.TIME_WAIT, TcpState.of(0x06));
        assertEquals(TcpState.LISTEN, TcpState.of(0x0A));
        assertEquals(TcpState.NEW_SYN_RECV, TcpState.of(0x0C));
        assertEquals("SYN-SENT", TcpState.SYN_SENT.rfcName());
        assertEquals("FIN-WAIT-2", TcpState.FIN_WAIT2.rfcName());
    }

    @Test
    void connectedSocketsAreEstablishedBothWaysAndTheServerListens() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
                Socket client = new Socket(LOOPBACK, server.getLocalPort());
                Socket accepted = server.accept()) {
            int port = server.getLocalPort();
            int clientPort = client.getLocalPort();
            TcpStates s = TcpStates.sample(port);
            assertEquals(of(TcpState.LISTEN), s.state(port, 0), s.toString());
            assertEquals(of(TcpState.ESTABLISHED), s.state(clientPort, port), s.toString());
            assertEquals(of(TcpState.ESTABLISHED), s.state(port, clientPort), s.toString());
            String html = (String) s.mimeBundle().get(MimeBundle.HTML);
            assertTrue(html.startsWith("<table class=\"wl-table wl-tcp-states\">") && !html.contains("<style"), html);
            assertTrue(s.toString().contains("ESTABLISHED (01)"), s.toString());
        }
    }

    @Test
    void clientClosingFirstGoesThroughFinWait2ToTimeWaitWhileTheServerSitsInCloseWait() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            int port = server.getLocalPort();
            Socket client = new Socket(LOOPBACK, port);
            int clientPort = client.getLocalPort();
            try (Socket accepted = server.accept()) {
                client.close();
                TcpStates half = until(s -> s.state(clientPort, port).equals(of(TcpState.FIN_WAIT2))
                        && s.state(port, clientPort).equals(of(TcpState.CLOSE_WAIT)), port);
                assertEquals(of(TcpState.FIN_WAIT2), half.state(clientPort, port), half.toString());
                assertEquals(of(TcpState.CLOSE_WAIT), half.state(port, clientPort), half.toString());
            }
            TcpStates closed = until(s -> s.state(clientPort, port).equals(of(TcpState.TIME_WAIT))
                    && s.state(port, clientPort).isEmpty(), port);
            assertEquals(of(TcpState.TIME_WAIT), closed.state(clientPort, port), closed.toString());
            assertEquals(Optional.empty(), closed.state(port, clientPort), "the server's socket is freed");
        }
    }

    @Test
    void watchRecordsEachSideOfAnOrderlyClose() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            int port = server.getLocalPort();
            TcpStates.Watch watch = TcpStates.watch(Duration.ofMillis(2), port);
            Socket client = new Socket(LOOPBACK, port);
            int clientPort = client.getLocalPort();
            Socket accepted = server.accept();
            seenByWatch(watch, s -> s.state(clientPort, port).equals(of(TcpState.ESTABLISHED)), port);
            client.close();
            seenByWatch(watch, s -> s.state(clientPort, port).equals(of(TcpState.FIN_WAIT2))
                    && s.state(port, clientPort).equals(of(TcpState.CLOSE_WAIT)), port);
            accepted.close();
            seenByWatch(watch, s -> s.state(clientPort, port).equals(of(TcpState.TIME_WAIT))
                    && s.state(port, clientPort).isEmpty(), port);
            TcpStateHistory history = watch.stop();
            assertFalse(watch.running());
            // FIN_WAIT1 and LAST_ACK last microseconds here; a sample lands in them only under load.
            assertEquals(List.of(TcpState.ESTABLISHED, TcpState.FIN_WAIT2, TcpState.TIME_WAIT),
                    lasting(history.states(clientPort, port)), history.toString());
            assertEquals(List.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.CLOSE),
                    lasting(history.states(port, clientPort)), history.toString());
            assertEquals(List.of(TcpState.LISTEN), history.states(port, 0), history.toString());
            String html = (String) history.mimeBundle().get(MimeBundle.HTML);
            assertTrue(html.contains("<td>FIN_WAIT2</td><td>FIN-WAIT-2</td>"), html);
            String timeline = history.timeline().toString();
            for (String state : List.of("ESTABLISHED", "FIN_WAIT2", "TIME_WAIT", "CLOSE_WAIT", "LISTEN")) {
                assertTrue(timeline.contains(state), state + " missing from\n" + timeline);
            }
            assertTrue(history.timeline().mimeBundle().containsKey(MimeBundle.VEGA_LITE));
        }
    }

    @Test
    void watchKeepsSamplingPastEveryTimeoutUntilStopped() throws Exception {
        Duration before = Lifecycle.timeout();
        Lifecycle.timeout(Duration.ofMillis(20));
        try {
            int open = Lifecycle.openCount();
            TcpStates.Watch watch = TcpStates.watch(Duration.ofMillis(5), 9);
            assertEquals(open + 1, Lifecycle.openCount());
            // A reader pausing between cells: far longer than any timeout wirelab has.
            Thread.sleep(20 * 6 * 5);
            int samples = watch.samples();
            assertTrue(watch.running(), "the sampler stopped on its own");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (watch.samples() <= samples && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(watch.samples() > samples, "the sampler no longer samples");
            watch.stop();
            assertFalse(watch.running());
            assertEquals(open, Lifecycle.openCount());
        } finally {
            Lifecycle.timeout(before);
        }
    }

    @Test
    void watchSaysSoWhenItsBoundOnStateChangesStopsIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            int port = server.getLocalPort();
            TcpStates.Watch watch = new TcpStates.Watch(Duration.ofMillis(2), new int[] {port}, 2);
            try (Socket client = new Socket(LOOPBACK, port); Socket accepted = server.accept()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (watch.running() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
            }
            assertFalse(watch.running(), "a third state change did not stop the watch");
            String text = watch.stop().toString();
            assertTrue(text.contains("(sampling stopped: watch stopped after 2 state changes, its bound against runaway memory)"), text);
        }
    }

    static List<TcpState> lasting(List<TcpState> states) {
        return states.stream().filter(s -> s != TcpState.FIN_WAIT1 && s != TcpState.LAST_ACK).toList();
    }

    // Waits until /proc shows the states and then until the watch has sampled twice more.
    static void seenByWatch(TcpStates.Watch watch, Predicate<TcpStates> ok, int port) throws InterruptedException {
        TcpStates s = until(ok, port);
        assertTrue(ok.test(s), s.toString());
        int target = watch.samples() + 2;
        long deadline = System.nanoTime() + Lifecycle.timeout().toNanos();
        while (watch.samples() < target && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void fullAcceptQueueLeavesFurtherClientsInSynSent() throws Exception {
        int clients = 8;
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            int port = server.getLocalPort();
            List<SocketChannel> channels = new ArrayList<>();
            List<Integer> clientPorts = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    SocketChannel c = SocketChannel.open();
                    channels.add(c);
                    c.configureBlocking(false);
                    c.bind(new InetSocketAddress(LOOPBACK, 0));
                    c.connect(new InetSocketAddress(LOOPBACK, port));
                    clientPorts.add(((InetSocketAddress) c.getLocalAddress()).getPort());
                }
                Predicate<TcpStates> settled = s -> clientPorts.stream().allMatch(p ->
                        s.state(p, port).equals(of(TcpState.ESTABLISHED)) || s.state(p, port).equals(of(TcpState.SYN_SENT)));
                TcpStates s = until(settled, port);
                long synSent = clientPorts.stream().filter(p -> s.state(p, port).equals(of(TcpState.SYN_SENT))).count();
                long established = clientPorts.stream().filter(p -> s.state(p, port).equals(of(TcpState.ESTABLISHED))).count();
                long queued = clientPorts.stream().filter(p -> s.state(port, p).equals(of(TcpState.ESTABLISHED))).count();
                assertEquals(clients, synSent + established, s.toString());
                assertTrue(synSent >= 1, "some clients stay in SYN_SENT while the queue is full:\n" + s);
                assertTrue(queued <= 2, "the accept queue holds backlog + 1 = 2 connections:\n" + s);
                assertEquals(of(TcpState.LISTEN), s.state(port, 0));
            } finally {
                for (SocketChannel c : channels) {
                    closeQuietly(c);
                }
            }
        }
    }

    static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }
}

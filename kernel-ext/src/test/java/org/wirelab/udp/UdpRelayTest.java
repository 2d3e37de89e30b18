package org.wirelab.udp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.wire.Direction;
import org.wirelab.udp.RelayedDatagram.Fate;

class UdpRelayTest {

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static void sendAll(DatagramSocket socket, UdpRelay relay, int count) throws IOException {
        for (int i = 1; i <= count; i++) {
            byte[] b = ("msg-" + i).getBytes(US_ASCII);
            socket.send(new DatagramPacket(b, b.length, relay.address()));
        }
    }

    private static List<String> receive(DatagramSocket socket, int count) throws IOException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            got.add(UdpEchoServerTest.receive(socket));
        }
        return got;
    }

    // The relay records a datagram when it decides; wait (bounded) until all n toward the server are decided.
    private static List<RelayedDatagram> upstream(UdpRelay relay, int n) throws InterruptedException {
        Supplier<List<RelayedDatagram>> up = () -> relay.datagrams().stream()
                .filter(d -> d.direction() == Direction.CLIENT_TO_SERVER).collect(Collectors.toList());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (up.get().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return up.get();
    }

    @Test
    void passesEverythingThroughByDefault() throws IOException {
        try (var echo = UdpEchoServer.start(); var relay = UdpRelay.start(echo.address());
                var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            sendAll(socket, relay, 3);
            assertEquals(List.of("msg-1", "msg-2", "msg-3"), receive(socket, 3));
            assertEquals(6, relay.datagrams().size(), "3 up, 3 back");
        }
    }

    @Test
    void dropEveryThirdAndSwapPairs() throws Exception {
        try (var echo = UdpEchoServer.start();
                var relay = UdpRelay.newBuilder(echo.address()).dropEvery(3).reorder(2).start();
                var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            sendAll(socket, relay, 6);
            assertEquals(List.of("msg-2", "msg-1", "msg-5", "msg-4"), receive(socket, 4));
            List<String> fates = upstream(relay, 6).stream().map(d -> d.seq() + " " + d.fate())
                    .collect(Collectors.toList());
            assertEquals(List.of("2 FORWARDED", "1 FORWARDED", "3 DROPPED", "5 FORWARDED", "4 FORWARDED",
                    "6 DROPPED"), fates);
            assertEquals(4, echo.datagramCount());
            assertEquals("msg-3", upstream(relay, 6).get(2).text());
        }
    }

    @Test
    void udpRelayDropsDeterministically() throws Exception {
        long seed = 42;
        double p = 0.3;
        Random reference = new Random(seed);
        List<Integer> expected = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            if (reference.nextDouble() < p) {
                expected.add(n);
            }
        }
        for (int run = 0; run < 2; run++) {
            try (var echo = UdpEchoServer.start();
                    var relay = UdpRelay.newBuilder(echo.address()).seed(seed).drop(p).start();
                    var socket = new DatagramSocket()) {
                socket.setSoTimeout(5000);
                sendAll(socket, relay, 20);
                receive(socket, 20 - expected.size());
                List<Integer> dropped = upstream(relay, 20).stream().filter(d -> d.fate() == Fate.DROPPED)
                        .map(RelayedDatagram::seq).collect(Collectors.toList());
                assertEquals(expected, dropped, "run " + run);
            }
        }
    }

    @Test
    void incompleteReorderGroupIsSentInOrderAfterHold() throws IOException {
        try (var echo = UdpEchoServer.start();
                var relay = UdpRelay.newBuilder(echo.address()).reorder(4).start();
                var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            sendAll(socket, relay, 2);
            assertEquals(List.of("msg-1", "msg-2"), receive(socket, 2));
        }
    }

    @Test
    void recordsAreImmutable() throws IOException {
        try (var echo = UdpEchoServer.start(); var relay = UdpRelay.start(echo.address());
                var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            sendAll(socket, relay, 1);
            receive(socket, 1);
            List<RelayedDatagram> list = relay.datagrams();
            assertThrows(UnsupportedOperationException.class, () -> list.clear());
            list.get(0).bytes()[0] = 'X';
            assertEquals("msg-1", list.get(0).text());
            assertEquals("6d 73 67 2d 31", list.get(0).hex());
        }
    }

    @Test
    void rejectsImpossibleSettings() {
        var b = UdpRelay.newBuilder(new java.net.InetSocketAddress("127.0.0.1", 9));
        assertThrows(IllegalArgumentException.class, () -> b.drop(1.5));
        assertThrows(IllegalArgumentException.class, () -> b.reorder(0));
    }
}

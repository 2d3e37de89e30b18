package org.wirelab.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.testing.ProcessResources;

class TcpEchoServerTest {

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static Socket connect(TcpEchoServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void echoesBytesBack() throws IOException {
        try (var server = TcpEchoServer.start(); var s = connect(server)) {
            s.getOutputStream().write("hello\r\n".getBytes(US_ASCII));
            assertEquals("hello\r\n", new String(s.getInputStream().readNBytes(7), US_ASCII));
        }
    }

    @Test
    void countsConnections() throws IOException {
        try (var server = TcpEchoServer.start()) {
            for (int i = 0; i < 3; i++) {
                try (var s = connect(server)) {
                    s.getOutputStream().write('x');
                    assertEquals('x', s.getInputStream().read());
                }
            }
            assertEquals(3, server.connections());
        }
    }

    @Test
    void delayedEchoStillArrivesInOrder() throws IOException {
        try (var server = TcpEchoServer.newBuilder().delay(Duration.ofMillis(50)).start(); var s = connect(server)) {
            s.getOutputStream().write("ab".getBytes(US_ASCII));
            s.getOutputStream().write("cd".getBytes(US_ASCII));
            assertEquals("abcd", new String(s.getInputStream().readNBytes(4), US_ASCII));
        }
    }

    @Test
    void closeAfterEchoesThatManyBytesThenSendsFin() throws IOException {
        try (var server = TcpEchoServer.newBuilder().closeAfter(5).start(); var s = connect(server)) {
            s.getOutputStream().write("hello world".getBytes(US_ASCII));
            assertArrayEquals("hello".getBytes(US_ASCII), s.getInputStream().readAllBytes(),
                    "5 bytes, then end of stream (the server's FIN)");
        }
    }

    // Whether a socket localPort -> remotePort is in TIME_WAIT (state 06); Java's sockets are
    // dual-stack, so loopback IPv4 connections are listed in /proc/net/tcp6 as ::ffff:127.0.0.1.
    private static boolean timeWait(int localPort, int remotePort) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path path = java.nio.file.Path.of(table);
            if (java.nio.file.Files.exists(path)) {
                lines.addAll(java.nio.file.Files.readAllLines(path));
            }
        }
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f[3].equals("06")
                    && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == localPort
                    && Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16) == remotePort) {
                return true;
            }
        }
        return false;
    }

    private static void awaitTimeWait(int localPort, int remotePort) throws Exception {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/tcp"))) {
            org.wirelab.testing.Tools.missing("/proc/net/tcp (Linux)");
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!timeWait(localPort, remotePort) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(timeWait(localPort, remotePort), "no TIME_WAIT 127.0.0.1:" + localPort + " -> " + remotePort);
    }

    @Test
    void serverThatClosesFirstKeepsTimeWait() throws Exception {
        try (var server = TcpEchoServer.newBuilder().closeAfter(2).start()) {
            int clientPort;
            try (var s = connect(server)) {
                clientPort = s.getLocalPort();
                s.getOutputStream().write("hi".getBytes(US_ASCII));
                assertEquals("hi", new String(s.getInputStream().readAllBytes(), US_ASCII));
            }
            awaitTimeWait(server.port(), clientPort);
            assertFalse(timeWait(clientPort, server.port()), "the client closed second: no TIME_WAIT on its side");
        }
    }

    @Test
    void clientThatClosesFirstKeepsTimeWait() throws Exception {
        try (var server = TcpEchoServer.start()) {
            int clientPort;
            var s = connect(server);
            clientPort = s.getLocalPort();
            s.getOutputStream().write("hi".getBytes(US_ASCII));
            assertEquals("hi", new String(s.getInputStream().readNBytes(2), US_ASCII));
            s.shutdownOutput(); // FIN from the client first
            assertEquals(-1, s.getInputStream().read(), "the server answers with its FIN");
            s.close();
            awaitTimeWait(clientPort, server.port());
            assertFalse(timeWait(server.port(), clientPort));
        }
    }

    @Test
    void clientHalfCloseIsAnsweredWithFin() throws IOException {
        try (var server = TcpEchoServer.start(); var s = connect(server)) {
            s.getOutputStream().write("bye".getBytes(US_ASCII));
            s.shutdownOutput();
            assertEquals("bye", new String(s.getInputStream().readAllBytes(), US_ASCII));
        }
    }

    @Test
    void closeStopsListening() throws IOException {
        var server = TcpEchoServer.start();
        int port = server.port();
        server.close();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        assertEquals(0, Lifecycle.openCount());
    }

    @Test
    void reRunReplacesPreviousServer() throws IOException {
        TcpEchoServer.start().close(); // warm up: classes and Netty's shared state
        ProcessResources before = ProcessResources.now();
        TcpEchoServer previous = null;
        for (int i = 0; i < 20; i++) {
            TcpEchoServer server = TcpEchoServer.start(); // same statement, same key
            if (previous != null) {
                int oldPort = previous.port();
                if (oldPort != server.port()) { // the kernel may hand the freed port out again
                    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", oldPort).close());
                }
            }
            try (var s = connect(server)) {
                s.getOutputStream().write('!');
                assertEquals('!', s.getInputStream().read());
            }
            previous = server;
        }
        assertEquals(1, Lifecycle.openCount());
        assertTrue(ProcessResources.now().listeningPorts().contains(previous.port()));
        Lifecycle.closeAll();
        ProcessResources.assertBackTo(before);
    }
}

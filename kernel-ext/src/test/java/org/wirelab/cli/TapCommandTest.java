package org.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TapCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TapCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void forwardsAndPrintsEachEventWithArrowsEscapesAndHex() throws Exception {
        int listenPort = exchange();
        String printed = out();
        assertTrue(printed.startsWith("tap 127.0.0.1:" + listenPort + " → 127.0.0.1:"), printed);
        assertTrue(printed.contains(" client → server DATA 7 B @0: hello\\r\\n\n"), printed);
        assertTrue(printed.contains(" server → client DATA 3 B @0: 01 02 ff\n"), printed);
        assertTrue(printed.contains("#1 "), printed);
        assertTrue(printed.contains("stopped: 1 connection(s)\n#1 "), printed);
        assertTrue(printed.contains("client → server 7 B, server → client 3 B"), printed);
        assertRefused(listenPort);
    }

    /** Runs the command for 3 s with {@code extra} options while one client sends hello\r\n and gets 01 02 ff. */
    private int exchange(String... extra) throws Exception {
        int listenPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listenPort = probe.getLocalPort();
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of(
                    "--listen", "127.0.0.1:" + listenPort, "--to", "127.0.0.1:" + server.getLocalPort(), "--seconds", "3"),
                    java.util.Arrays.stream(extra)).toArray(String[]::new);
            CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() -> run(args));
            try (Socket client = connectWhenListening(listenPort); Socket upstream = server.accept()) {
                client.getOutputStream().write("hello\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(7, upstream.getInputStream().readNBytes(7).length);
                upstream.getOutputStream().write(new byte[] {0x01, 0x02, (byte) 0xff});
                assertEquals(3, client.getInputStream().readNBytes(3).length);
            }
            assertEquals(0, command.get(20, TimeUnit.SECONDS));
        }
        return listenPort;
    }

    @Test
    void badArgumentsPrintOneUsageLineAndExitTwo() {
        assertEquals(2, run("--to", "127.0.0.1:80"));
        assertEquals("wirelab tap: --listen is required\n" + TapCommand.USAGE + "\n", err());
        err.reset();
        assertEquals(2, run("--listen", "127.0.0.1:x", "--to", "127.0.0.1:80"));
        assertEquals("wirelab tap: --listen port 'x' is not a number\n" + TapCommand.USAGE + "\n", err());
        err.reset();
        assertEquals(2, run("--listen", "127.0.0.1:0", "--to", "127.0.0.1:80", "--seconds", "-1"));
        assertTrue(err().startsWith("wirelab tap: --seconds wants a whole number of seconds above 0, got '-1'\n"), err());
        err.reset();
        assertEquals(2, Main.run("tap", "--listen"));
    }

    @Test
    void pcapHoldsTheForwardedBytes() throws Exception {
        java.nio.file.Path tshark = org.wirelab.testing.Tools.require("tshark");
        java.nio.file.Path pcap = java.nio.file.Files.createTempFile("wirelab-cli-", ".pcap");
        try {
            exchange("--pcap", pcap.toString());
            assertTrue(out().contains("wrote " + pcap + "\n"), out());
            Process p = new ProcessBuilder(tshark.toString(), "-r", pcap.toString(), "-q", "-z", "follow,tcp,raw,0")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String follow = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor(30, TimeUnit.SECONDS);
            assertTrue(follow.contains("\n68656c6c6f0d0a\n"), follow);      // hello\r\n from node 0, the client
            assertTrue(follow.contains("\n\t0102ff\n"), follow);             // the server's answer
        } finally {
            java.nio.file.Files.deleteIfExists(pcap);
        }
    }

    private static Socket connectWhenListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(5000);
                return s;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static void assertRefused(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            throw new AssertionError("tap still listening on " + port);
        } catch (ConnectException expected) {
            // closed
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

package org.wirelab.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.pcap.Capture;
import org.wirelab.tap.Tap;
import org.wirelab.tcp.TcpEchoServer;
import org.wirelab.ws.WebSocketDemoServer;

/** Servers listen on loopback unless a call names another address, and then say so; temp files go with the kernel. */
class ExposureTest {

    private static final String EVERY_INTERFACE = ", listening on every interface: reachable from other machines";

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    @Test
    void serversAndTapListenOnLoopbackByDefaultAndSayNothingMore() {
        var http = HttpDemoServer.start();
        var ws = WebSocketDemoServer.start();
        var tcp = TcpEchoServer.start();
        var tap = Tap.to(http.address());
        for (var a : new java.net.InetSocketAddress[] {http.address(), ws.address(), tcp.address(), tap.address()}) {
            assertEquals("127.0.0.1", a.getAddress().getHostAddress());
        }
        for (Object o : new Object[] {http, ws, tcp, tap}) {
            assertFalse(o.toString().contains("reachable"), o.toString());
        }
    }

    @Test
    void serversAndTapOnEveryInterfaceSaySo() {
        var http = HttpDemoServer.newBuilder().host("0.0.0.0").start();
        var ws = WebSocketDemoServer.newBuilder().host("0.0.0.0").start();
        var tcp = TcpEchoServer.newBuilder().host("0.0.0.0").start();
        var tap = Tap.newBuilder().listen("0.0.0.0", 0).to(http.address()).start();
        assertEquals("HttpDemoServer http://127.0.0.1:" + http.port() + "/, 0 connection(s), requests per connection []"
                + EVERY_INTERFACE, http.toString());
        assertEquals("WebSocketDemoServer ws://127.0.0.1:" + ws.port() + "/ws, 0 client(s), 0 connection(s)"
                + EVERY_INTERFACE, ws.toString());
        assertTrue(tcp.toString().endsWith(EVERY_INTERFACE), tcp.toString());
        assertTrue(tap.toString().endsWith(":" + http.port() + ", 0 connections" + EVERY_INTERFACE), tap.toString());
    }

    @Test
    void recordedCaptureTempFileIsRemovedWhenTheKernelStops() throws Exception {
        // a separate JVM stands in for the kernel: it opens a recorded capture, prints its file and exits
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ExposureTest.class.getName() + "$Kernel").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Path file = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(file.getFileName().toString().startsWith("wirelab-tcp-handshake-"), out);
        assertFalse(Files.exists(file), file + " is still there after the kernel stopped");
    }

    /** The stand-in kernel. */
    static final class Kernel {
        public static void main(String[] args) throws Exception {
            Capture c = Capture.recorded("tcp-handshake");
            Path file = c.path();
            if (!Files.exists(file)) {
                throw new AssertionError("no temp file while the kernel runs: " + file);
            }
            System.out.println(file);
        }
    }
}

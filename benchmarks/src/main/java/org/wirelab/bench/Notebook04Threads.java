package org.wirelab.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.tap.Tap;
import org.wirelab.tcp.TcpEchoServer;
import org.wirelab.ws.WebSocketDemoServer;

/**
 * Counts the threads of a JVM running what notebook 04 starts: an HTTP, two WebSocket and a TCP
 * echo server, eight taps in front of them (one statement each, as in the notebook), one exchange
 * through every tap.
 *
 * <pre>{@code java -cp kernel-ext/target/kernel-ext.jar benchmarks/src/main/java/org/wirelab/bench/Notebook04Threads.java}</pre>
 */
public final class Notebook04Threads {

    private Notebook04Threads() {
    }

    static void exchange(InetSocketAddress a, String request) throws Exception {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            in.read(new byte[4096]);
        }
    }

    public static void main(String[] args) throws Exception {
        int before = Thread.getAllStackTraces().size();
        HttpDemoServer http = HttpDemoServer.start();
        WebSocketDemoServer ws = WebSocketDemoServer.start();
        WebSocketDemoServer wsIdle = WebSocketDemoServer.start();
        TcpEchoServer echo = TcpEchoServer.start();
        String get = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        // one statement per tap, as in the notebook: Lifecycle replaces a tap made again by the same statement
        Tap t1 = Tap.to(http.address());
        Tap t2 = Tap.to(http.address());
        Tap t3 = Tap.to(http.address());
        Tap t4 = Tap.to(ws.address());
        Tap t5 = Tap.to(wsIdle.address());
        Tap t6 = Tap.to(wsIdle.address());
        Tap t7 = Tap.to(wsIdle.address());
        Tap t8 = Tap.to(echo.address());
        for (Tap t : List.of(t1, t2, t3, t4, t5, t6, t7)) {
            exchange(t.address(), get);
        }
        exchange(t8.address(), "hi");
        Thread.sleep(500);
        Map<String, Integer> byName = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            byName.merge(t.getName().replaceAll("-\\d+-\\d+$", ""), 1, Integer::sum);
        }
        int after = Thread.getAllStackTraces().size();
        System.out.println("threads before " + before + ", after 4 servers + 8 taps: " + after + " (+" + (after - before) + ")");
        System.out.println(byName);
        System.exit(0);
    }
}

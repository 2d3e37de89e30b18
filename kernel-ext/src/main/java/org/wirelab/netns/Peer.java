package org.wirelab.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.http2.Http2DemoServer;
import org.wirelab.tcp.TcpEchoServer;
import org.wirelab.tcp.TcpStates;

/**
 * The program a {@link Host} runs inside its namespace: {@code java -cp kernel-ext.jar
 * org.wirelab.netns.Peer SOCKET}. It listens on the Unix-domain socket {@code SOCKET} (a file, so it
 * is reachable from the kernel's JVM in another network namespace) and answers one request per
 * line with lines ending in {@code "."}; the first line is {@code ok ...} or {@code err ...}.
 *
 * <pre>
 * listen 9000 8 sink          → ok 0.0.0.0:9000        (modes: sink, hold, none = never accept)
 * connect c1 10.0.2.2 9000    → ok 10.0.1.2:41234
 * write c1 3000 20000 10      → ok 23010               (bytes of {@link #pattern(long)})
 * received 9000.1 23010 5000  → ok 23010 in-order      (the first accepted connection on 9000)
 * states 9000                 → TcpStates.sample(9000) of this namespace
 * serve http2 9010 10.0.2.2   → ok Http2DemoServer http://10.0.2.2:9010/ ...  (kinds: http2, http, echo;
 *                                 the address defaults to 0.0.0.0, every interface)
 * h2 10.0.2.2 9010 /bytes/1200 /bytes/1200 0    → ok, then one line per frame ({@link TwoStreams})
 * </pre>
 *
 * <p>{@code serve} runs kernel-ext's own demo servers ({@link Http2DemoServer}, {@link HttpDemoServer},
 * {@link TcpEchoServer}) in this namespace, one of each kind (a second
 * {@code serve} of a kind closes the first); the TCP experiments use plain sockets, which give them
 * the socket-level control ({@code shutdown}, keepalive, backlogs) the demo servers do not offer.
 *
 * <p>It exits when the kernel's JVM disconnects, and with its namespace's PID namespace.
 */
public final class Peer {

    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    private final List<AutoCloseable> held = new ArrayList<>();

    private Peer() {
    }

    /** The byte at stream offset {@code offset} of everything {@code write} sends: {@code offset mod 251}. */
    public static byte pattern(long offset) {
        return (byte) (offset % 251);
    }

    /** Runs the peer on the Unix-domain socket path {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        Files.deleteIfExists(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            path.toFile().setWritable(true, false);
            try (SocketChannel kernel = server.accept()) {
                new Peer().serve(Channels.newInputStream(kernel), Channels.newOutputStream(kernel));
            }
        }
        System.exit(0);
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            String answer;
            try {
                answer = handle(line.strip().split("\\s+"));
            } catch (Exception e) {
                answer = "err " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            out.write((answer.strip() + "\n.\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private String handle(String[] a) throws Exception {
        switch (a[0]) {
            case "listen" -> {
                return listen(Integer.parseInt(a[1]), Integer.parseInt(a[2]), a[3]);
            }
            case "connect" -> {
                Socket s = new Socket();
                if (a.length > 4) {
                    s.bind(new InetSocketAddress(a[4], 0));
                }
                s.connect(new InetSocketAddress(a[2], Integer.parseInt(a[3])), 5000);
                sockets.put(a[1], s);
                return "ok " + s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
            }
            case "try-connect" -> {
                Socket s = new Socket();
                long start = System.nanoTime();
                try {
                    s.connect(new InetSocketAddress(a[2], Integer.parseInt(a[3])), Integer.parseInt(a[4]));
                } catch (SocketTimeoutException e) {
                    s.close();
                    return "ok timeout after " + a[4] + " ms";
                }
                sockets.put(a[1], s);
                return "ok connected in " + (System.nanoTime() - start) / 1_000_000 + " ms";
            }
            case "write" -> {
                Socket s = socket(a[1]);
                long offset = sinkOffset(a[1]);
                OutputStream o = s.getOutputStream();
                // All chunks are filled first, so the writes follow one another within microseconds.
                List<byte[]> chunks = new ArrayList<>();
                for (int i = 2; i < a.length; i++) {
                    byte[] chunk = new byte[Integer.parseInt(a[i])];
                    for (int k = 0; k < chunk.length; k++) {
                        chunk[k] = pattern(offset + k);
                    }
                    chunks.add(chunk);
                    offset += chunk.length;
                }
                for (byte[] chunk : chunks) {
                    o.write(chunk);
                }
                written.put(a[1], offset);
                return "ok " + offset;
            }
            case "received" -> {
                long millis = Long.parseLong(a[3]);
                long deadline = System.currentTimeMillis() + millis;
                // The kernel completes the handshake before the accept thread has taken the
                // connection: wait for its sink as long as for its bytes.
                Sink sink = sinks.get(a[1]);
                while (sink == null && System.currentTimeMillis() < deadline) {
                    Thread.sleep(2);
                    sink = sinks.get(a[1]);
                }
                if (sink == null) {
                    return "err no connection " + a[1] + " was accepted within " + millis + " ms";
                }
                return sink.await(Long.parseLong(a[2]), Math.max(1, deadline - System.currentTimeMillis()));
            }
            case "read" -> {
                Socket s = socket(a[1]);
                s.setSoTimeout(Integer.parseInt(a[3]));
                byte[] buf = new byte[Integer.parseInt(a[2])];
                int n = 0;
                try {
                    while (n < buf.length) {
                        int got = s.getInputStream().read(buf, n, buf.length - n);
                        if (got < 0) {
                            return "ok " + n + " bytes, then EOF";
                        }
                        n += got;
                    }
                } catch (SocketTimeoutException e) {
                    return "ok " + n + " bytes, then nothing for " + a[3] + " ms";
                } catch (IOException e) {
                    return "ok " + n + " bytes, then " + e.getMessage();
                }
                return "ok " + n + " bytes";
            }
            case "shutdown" -> {
                socket(a[1]).shutdownOutput();
                return "ok";
            }
            case "close" -> {
                socket(a[1]).close();
                return "ok";
            }
            case "keepalive" -> {
                Socket s = socket(a[1]);
                s.setKeepAlive(true);
                s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, Integer.parseInt(a[2]));
                s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, Integer.parseInt(a[3]));
                s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, Integer.parseInt(a[4]));
                return "ok SO_KEEPALIVE on, TCP_KEEPIDLE " + a[2] + " s, TCP_KEEPINTVL " + a[3] + " s, TCP_KEEPCNT " + a[4];
            }
            case "flood" -> {
                int n = Integer.parseInt(a[3]);
                for (int i = 0; i < n; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.bind(new InetSocketAddress(a[4], 0));
                    ch.connect(new InetSocketAddress(a[1], Integer.parseInt(a[2])));
                    held.add(ch);
                }
                return "ok " + n + " SYNs from " + a[4];
            }
            case "udp" -> {
                try (DatagramSocket d = new DatagramSocket()) {
                    byte[] payload = new byte[Integer.parseInt(a[4])];
                    InetSocketAddress to = new InetSocketAddress(a[1], Integer.parseInt(a[2]));
                    for (int i = 0; i < Integer.parseInt(a[3]); i++) {
                        d.send(new DatagramPacket(payload, payload.length, to));
                    }
                }
                return "ok";
            }
            case "states" -> {
                int[] ports = Arrays.stream(a).skip(1).mapToInt(Integer::parseInt).toArray();
                StringBuilder out = new StringBuilder("ok\n");
                for (TcpStates.Row row : TcpStates.sample(ports).rows()) {
                    out.append(row).append('\n');
                }
                return out.toString();
            }
            case "serve" -> {
                if (a.length < 3) {
                    throw new IllegalArgumentException("usage: serve http2|http|echo PORT [ADDRESS]");
                }
                int port = Integer.parseInt(a[2]);
                String host = a.length > 3 ? a[3] : "0.0.0.0";
                AutoCloseable server = switch (a[1]) {
                    case "http2" -> Http2DemoServer.newBuilder().host(host).port(port).start();
                    case "http" -> HttpDemoServer.newBuilder().host(host).port(port).start();
                    case "echo" -> TcpEchoServer.newBuilder().host(host).port(port).start();
                    default -> throw new IllegalArgumentException("no demo server '" + a[1] + "' (kinds: http2, http, echo)");
                };
                held.add(server);
                return "ok " + server;
            }
            case "h2" -> {
                if (a.length != 6) {
                    throw new IllegalArgumentException("usage: h2 HOST PORT PATH_STREAM_1 PATH_STREAM_3 GAP_MS");
                }
                return "ok\n" + TwoStreams.run(a[1], Integer.parseInt(a[2]), a[3], a[4], Long.parseLong(a[5]), 10_000);
            }
            default -> throw new IllegalArgumentException("unknown request '" + a[0] + "'");
        }
    }

    private final Map<String, Long> written = new ConcurrentHashMap<>();

    private long sinkOffset(String id) {
        return written.getOrDefault(id, 0L);
    }

    private Socket socket(String id) throws InterruptedException {
        // An accepted connection is filed by the accept thread, which may still be on its way.
        Socket s = sockets.get(id);
        for (long deadline = System.currentTimeMillis() + 5000; s == null && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(2);
            s = sockets.get(id);
        }
        if (s == null) {
            throw new IllegalArgumentException("no connection '" + id + "' (have " + sockets.keySet() + ")");
        }
        return s;
    }

    private String listen(int port, int backlog, String mode) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress("0.0.0.0", port), backlog);
        held.add(server);
        if (!mode.equals("none")) {
            AtomicInteger count = new AtomicInteger();
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        String id = port + "." + count.incrementAndGet();
                        sockets.put(id, s);
                        if (mode.equals("sink")) {
                            Sink sink = new Sink(s);
                            sinks.put(id, sink);
                            sink.start();
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "accept-" + port);
            t.setDaemon(true);
            t.start();
        }
        return "ok 0.0.0.0:" + port + " backlog " + backlog + " " + mode;
    }

    // Reads a connection to its end, counting bytes and how many differ from pattern().
    private static final class Sink extends Thread {
        private final Socket socket;
        private long bytes;
        private long outOfOrder;
        private boolean eof;
        private String error;

        Sink(Socket socket) {
            this.socket = socket;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buf = new byte[65536];
            try (InputStream in = socket.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            if (buf[i] != pattern(bytes + i)) {
                                outOfOrder++;
                            }
                        }
                        bytes += n;
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    error = e.getMessage();
                }
            }
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }

        synchronized String await(long expected, long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (bytes < expected && !eof && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
            return "ok " + bytes + " " + (outOfOrder == 0 ? "in-order" : outOfOrder + "-bytes-differ")
                    + (error != null ? " (" + error + ")" : "");
        }
    }
}

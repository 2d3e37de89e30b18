package org.wirelab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wirelab.tap.Tap;

/**
 * Figures 1 and 2 of BENCHMARKS.md: bulk throughput and 32-byte round trips over loopback, sent
 * straight to the server, through a recording {@link Tap} (default cap), and through socat as a
 * plain relay. The three paths take turns (direct, tap, socat, direct, ...) so that whatever else
 * runs on the machine weighs on all of them alike; every figure is printed per round and as a ratio
 * to direct from the same round.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.wirelab.bench.TapWire throughput [rounds] [MiB]
 * java -cp benchmarks/target/benchmarks.jar org.wirelab.bench.TapWire latency [rounds] [round trips per round]
 * </pre>
 */
public final class TapWire {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "throughput";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean socat = !Boolean.getBoolean("nosocat");
        if (mode.equals("throughput")) {
            long bytes = (args.length > 2 ? Long.parseLong(args[2]) : 1024) << 20;
            throughput(rounds, bytes, socat);
        } else if (mode.equals("latency")) {
            int trips = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
            latency(rounds, trips, socat);
        } else {
            throw new IllegalArgumentException("mode is throughput or latency, was " + mode);
        }
    }

    // ---- throughput: a sink that reads to EOF, then closes; the sender waits for that close

    private static void throughput(int rounds, long bytes, boolean socat) throws Exception {
        try (ServerSocket sink = new ServerSocket(0, 50, LOOPBACK)) {
            Thread drain = new Thread(() -> drain(sink), "sink");
            drain.setDaemon(true);
            drain.start();
            try (Paths paths = new Paths(sink.getLocalPort(), socat)) {
                byte[] chunk = new byte[64 * 1024];
                send(sink.getLocalPort(), chunk, 64L << 20); // warm the JIT on every path
                send(paths.tap.port(), chunk, 64L << 20);
                Map<String, List<Double>> rates = new LinkedHashMap<>();
                System.out.printf(Locale.ROOT, "%d MiB per transfer, %d rounds, paths taking turns%n", bytes >> 20, rounds);
                for (int r = 1; r <= rounds; r++) {
                    StringBuilder line = new StringBuilder("round " + r + ":");
                    double direct = 0;
                    for (Map.Entry<String, Integer> p : paths.ports().entrySet()) {
                        long t0 = System.nanoTime();
                        send(p.getValue(), chunk, bytes);
                        double gbps = bytes / ((System.nanoTime() - t0) / 1e9) / 1e9;
                        rates.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(gbps);
                        if (p.getKey().equals("direct")) {
                            direct = gbps;
                        }
                        line.append(String.format(Locale.ROOT, "  %s %.2f GB/s (%.2f)", p.getKey(), gbps, gbps / direct));
                    }
                    System.out.println(line);
                }
                summary("GB/s", rates, false);
            }
        }
    }

    private static void drain(ServerSocket sink) {
        byte[] buffer = new byte[64 * 1024];
        while (!sink.isClosed()) {
            try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                while (in.read(buffer) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // the sink closed
            }
        }
    }

    private static void send(int port, byte[] chunk, long bytes) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk);
            }
            s.shutdownOutput();
            if (s.getInputStream().read() != -1) {
                throw new IOException("the sink sent bytes back");
            }
        }
    }

    // ---- latency: an echo server; one client writes 32 bytes and reads them back, again and again

    private static void latency(int rounds, int trips, boolean socat) throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, LOOPBACK)) {
            Thread server = new Thread(() -> echo(echo), "echo");
            server.setDaemon(true);
            server.start();
            try (Paths paths = new Paths(echo.getLocalPort(), socat)) {
                Map<String, Socket> sockets = new LinkedHashMap<>();
                for (Map.Entry<String, Integer> p : paths.ports().entrySet()) {
                    Socket s = new Socket(LOOPBACK, p.getValue());
                    s.setTcpNoDelay(true);
                    sockets.put(p.getKey(), s);
                    roundTrips(s, 2000); // warm-up
                }
                Map<String, long[]> all = new LinkedHashMap<>();
                Map<String, List<Double>> medians = new LinkedHashMap<>();
                System.out.printf(Locale.ROOT, "32-byte round trips: %d rounds of %d per path, paths taking turns%n", rounds, trips);
                for (int r = 1; r <= rounds; r++) {
                    StringBuilder line = new StringBuilder("round " + r + ": median");
                    for (Map.Entry<String, Socket> p : sockets.entrySet()) {
                        long[] t = roundTrips(p.getValue(), trips);
                        long[] acc = all.get(p.getKey());
                        long[] joined = acc == null ? t : concat(acc, t);
                        all.put(p.getKey(), joined);
                        Arrays.sort(t);
                        double med = t[t.length / 2] / 1e3;
                        medians.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(med);
                        line.append(String.format(Locale.ROOT, "  %s %.1f µs", p.getKey(), med));
                    }
                    System.out.println(line);
                }
                for (Socket s : sockets.values()) {
                    s.close();
                }
                System.out.println("all round trips:");
                double directMed = 0;
                double directP99 = 0;
                for (Map.Entry<String, long[]> p : all.entrySet()) {
                    long[] t = p.getValue();
                    Arrays.sort(t);
                    double med = t[t.length / 2] / 1e3;
                    double p99 = t[(int) (t.length * 0.99)] / 1e3;
                    if (p.getKey().equals("direct")) {
                        directMed = med;
                        directP99 = p99;
                    }
                    List<Double> m = medians.get(p.getKey());
                    System.out.printf(Locale.ROOT,
                            "  %-6s n=%d median %.1f µs (+%.1f µs over direct, ratio %.2f), p99 %.1f µs (+%.1f, ratio %.2f); round medians %.1f..%.1f µs%n",
                            p.getKey(), t.length, med, med - directMed, med / directMed, p99, p99 - directP99,
                            p99 / directP99, m.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                            m.stream().mapToDouble(Double::doubleValue).max().orElse(0));
                }
            }
        }
    }

    private static void echo(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> {
                    byte[] b = new byte[4096];
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        int n;
                        while ((n = in.read(b)) >= 0) {
                            out.write(b, 0, n);
                        }
                    } catch (IOException e) {
                        // peer gone
                    }
                }, "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // server closed
            }
        }
    }

    private static long[] roundTrips(Socket s, int count) throws IOException {
        byte[] msg = new byte[32];
        byte[] back = new byte[32];
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            msg[0] = (byte) i;
            long t0 = System.nanoTime();
            out.write(msg);
            int got = 0;
            while (got < 32) {
                int n = in.read(back, got, 32 - got);
                if (n < 0) {
                    throw new IOException("EOF after " + got + " of 32 bytes");
                }
                got += n;
            }
            t[i] = System.nanoTime() - t0;
            if (back[0] != msg[0]) {
                throw new IOException("round trip " + i + " came back wrong");
            }
        }
        return t;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void summary(String unit, Map<String, List<Double>> values, boolean lowerIsBetter) {
        List<Double> direct = values.get("direct");
        System.out.println("median over rounds (min..max), ratio to direct of the same round (min..max):");
        for (Map.Entry<String, List<Double>> e : values.entrySet()) {
            List<Double> v = e.getValue();
            double[] ratios = new double[v.size()];
            for (int i = 0; i < v.size(); i++) {
                ratios[i] = v.get(i) / direct.get(i);
            }
            double[] sorted = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "  %-6s %.2f %s (%.2f..%.2f), ratio %.2f (%.2f..%.2f)%n", e.getKey(),
                    sorted[sorted.length / 2], unit, sorted[0], sorted[sorted.length - 1],
                    ratios[ratios.length / 2], ratios[0], ratios[ratios.length - 1]);
        }
    }

    /** direct, a recording tap with its defaults, and (when asked) socat, all to the same target port. */
    private static final class Paths implements AutoCloseable {
        final int target;
        final Tap tap;
        final Process socat;
        final int socatPort;

        Paths(int target, boolean withSocat) throws Exception {
            this.target = target;
            this.tap = Tap.to(new InetSocketAddress(LOOPBACK, target));
            if (withSocat) {
                int port;
                try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                    port = probe.getLocalPort();
                }
                socatPort = port;
                socat = new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                        "TCP:127.0.0.1:" + target).inheritIO().start();
                waitUntilListening(port);
            } else {
                socat = null;
                socatPort = 0;
            }
        }

        private void waitUntilListening(int port) throws Exception {
            for (int i = 0; i < 100; i++) {
                if (!socat.isAlive()) {
                    throw new IOException("socat exited with " + socat.exitValue() + " (is it installed? apt-get install socat)");
                }
                try (Socket s = new Socket(LOOPBACK, port)) {
                    return;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            throw new IOException("socat did not listen on port " + port + " within 5 s");
        }

        Map<String, Integer> ports() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("direct", target);
            m.put("tap", tap.port());
            if (socat != null) {
                m.put("socat", socatPort);
            }
            return m;
        }

        @Override
        public void close() throws Exception {
            tap.close();
            if (socat != null) {
                socat.destroy();
                socat.waitFor();
            }
        }
    }
}

package org.wirelab.tcp;

import org.wirelab.wire.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Settings;

/**
 * A snapshot of the kernel's TCP sockets touching some ports, read from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (Linux, no privileges needed; the sockets of this network namespace).
 *
 * <p>JDK sockets are dual-stack IPv6 sockets (unless {@code -Djava.net.preferIPv4Stack=true}), so
 * Linux lists them in {@code tcp6} with IPv4-mapped addresses ({@code ::ffff:127.0.0.1}); they are
 * shown here as plain IPv4.
 *
 * <p>What Linux does when a listener's accept queue is full (measured on loopback, see
 * {@code TcpStatesTest}): a {@code ServerSocket} with backlog 1 that never accepts holds
 * backlog + 1 = 2 finished connections in its queue; further SYNs are dropped silently
 * ({@code tcp_conn_request} drops while the queue is full, counted as ListenOverflows / ListenDrops in
 * {@code /proc/net/netstat}), so those clients sit in SYN_SENT retransmitting the SYN (1 s, 3 s, 7 s...)
 * until their connect timeout. The same is what a SYN flood aims at: the server's queues are full
 * and legitimate clients cannot get past SYN-SENT.
 *
 * <pre>{@code
 * TcpStates.sample(8080)     // LISTEN on 127.0.0.1:8080, ESTABLISHED both ways for each client
 * }</pre>
 */
public final class TcpStates implements Rich {

    private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

    /**
     * One socket: local and remote address and its state; the remote of a LISTEN socket is
     * {@code 0.0.0.0:0} (or {@code [::]:0}). {@code line} is the kernel's own line for it, e.g.
     * {@code 3: 0100007F:B5C2 0100007F:A9A1 02 00000000:00000000 ...}, with the state code in the fourth column.
     */
    public record Row(InetSocketAddress local, InetSocketAddress remote, TcpState state, String line) {

        /** {@code 127.0.0.1:51234 → 127.0.0.1:8080 ESTABLISHED}. */
        @Override
        public String toString() {
            return address(local) + " → " + address(remote) + " " + state;
        }
    }

    private final Instant at;
    private final List<Row> rows;
    private final int[] ports;

    private TcpStates(Instant at, List<Row> rows, int[] ports) {
        this.at = at;
        this.rows = List.copyOf(rows);
        this.ports = ports.clone();
    }

    /**
     * Reads the TCP sockets whose local or remote port is one of {@code ports}, e.g.
     * {@code sample(8080)}; no ports means every socket.
     */
    public static TcpStates sample(int... ports) {
        List<Row> rows = new ArrayList<>();
        boolean any = false;
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
                any = true;
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table + ": " + e.getMessage(), e);
            }
            for (int i = 1; i < lines.size(); i++) {
                Row row = parse(lines.get(i));
                if (row != null && matches(row, ports)) {
                    rows.add(row);
                }
            }
        }
        if (!any) {
            throw new IllegalStateException("no /proc/net/tcp here: TCP states are read from Linux's procfs");
        }
        // Stamped after the read: every state in the snapshot already held at this instant, so two
        // snapshots never put an effect before its cause.
        return new TcpStates(Instant.now(), rows, ports);
    }

    /**
     * Starts sampling every {@code every}, e.g. {@code watch(Duration.ofMillis(5), 8080)}, recording each
     * state change until {@link Watch#stop()} (or until the cell that started it runs again, or the
     * kernel stops). It never stops on a timer, so it can be read minutes later; only after
     * {@value Watch#MAX_TRANSITIONS} recorded changes does it stop, and its history says so.
     *
     * <p>Sampling can miss a state that lasts less than {@code every}: on loopback SYN_SENT,
     * CLOSE_WAIT or LAST_ACK often come and go between two samples.
     */
    public static Watch watch(Duration every, int... ports) {
        return Lifecycle.track("tcp-watch", new Watch(Settings.positive("sampling interval", every), ports, Watch.MAX_TRANSITIONS));
    }

    /** When the snapshot was taken. */
    public Instant at() {
        return at;
    }

    /** The sockets, IPv4 first then IPv6, in the kernel's order. */
    public List<Row> rows() {
        return rows;
    }

    /**
     * The state of the socket bound to {@code localPort} and connected to {@code remotePort}, e.g.
     * {@code state(51234, 8080)}; remote port 0 finds a LISTEN socket.
     */
    public Optional<TcpState> state(int localPort, int remotePort) {
        return rows.stream().filter(r -> r.local().getPort() == localPort && r.remote().getPort() == remotePort)
                .map(Row::state).findFirst();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }

    /** A table: local, remote, Linux state (hex code), RFC 9293 name. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("TCP sockets on ports " + Arrays.toString(ports) + " at " + at + "\n");
        out.append(String.format("%-24s %-24s %-18s %s%n", "local", "remote", "state (st)", "RFC 9293"));
        for (Row r : rows) {
            out.append(String.format("%-24s %-24s %-18s %s%n", address(r.local()), address(r.remote()),
                    r.state() + String.format(" (%02X)", r.state().code()), r.state().rfcName()));
        }
        if (rows.isEmpty()) {
            out.append("(no sockets)\n");
        }
        return out.toString().stripTrailing();
    }

    private String html() {
        StringBuilder out = new StringBuilder("<table class=\"wl-table wl-tcp-states\"><thead><tr>"
                + "<th>local</th><th>remote</th><th>state (st)</th><th>RFC 9293</th></tr></thead><tbody>");
        for (Row r : rows) {
            out.append("<tr class=\"wl-tcp-").append(r.state().name().toLowerCase(java.util.Locale.ROOT)).append("\">")
                    .append("<td>").append(Html.escape(address(r.local()))).append("</td>")
                    .append("<td>").append(Html.escape(address(r.remote()))).append("</td>")
                    .append("<td>").append(r.state()).append(String.format(" (%02X)", r.state().code())).append("</td>")
                    .append("<td>").append(r.state().rfcName()).append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    static boolean matches(Row row, int[] ports) {
        if (ports.length == 0) {
            return true;
        }
        for (int p : ports) {
            if (row.local().getPort() == p || row.remote().getPort() == p) {
                return true;
            }
        }
        return false;
    }

    // "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ..." -> Row
    static Row parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].endsWith(":")) {
            return null;
        }
        InetSocketAddress local = procAddress(f[1]);
        InetSocketAddress remote = procAddress(f[2]);
        if (local.getAddress() instanceof java.net.Inet4Address && remote.getAddress().isAnyLocalAddress()) {
            remote = new InetSocketAddress("0.0.0.0", remote.getPort());
        }
        return new Row(local, remote, TcpState.of(Integer.parseInt(f[3], 16)), line.strip());
    }

    // The kernel prints each 32-bit word of the address in host order (little endian on x86/ARM), the port in hex.
    static InetSocketAddress procAddress(String text) {
        int colon = text.indexOf(':');
        byte[] raw = HexFormat.of().parseHex(text.substring(0, colon));
        for (int w = 0; w < raw.length; w += 4) {
            for (int i = 0; i < 2; i++) {
                byte t = raw[w + i];
                raw[w + i] = raw[w + 3 - i];
                raw[w + 3 - i] = t;
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), Integer.parseInt(text.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address in /proc/net/tcp: " + text, e);
        }
    }

    static String address(InetSocketAddress a) {
        return Addresses.text(a);
    }

    /**
     * A running sampler started by {@link TcpStates#watch}; {@link #stop()} returns what it saw.
     *
     * <pre>{@code
     * var watch = TcpStates.watch(Duration.ofMillis(5), 8080);
     * // ... connect, exchange, close ...
     * watch.stop()          // ESTABLISHED → FIN_WAIT2 → TIME_WAIT on the client side
     * }</pre>
     */
    public static final class Watch implements org.wirelab.lifecycle.Activity {

        /** The bound against runaway memory: recording stops after this many state changes. */
        public static final int MAX_TRANSITIONS = 100_000;

        private final int maxTransitions;
        private final Duration every;
        private final int[] ports;
        private final Instant started = Instant.now();
        private final Map<List<InetSocketAddress>, List<TcpStateHistory.Transition>> seen = new LinkedHashMap<>();
        private final Map<List<InetSocketAddress>, TcpState> current = new LinkedHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int samples;
        private int transitions;
        private String failure;

        Watch(Duration every, int[] ports, int maxTransitions) {
            this.maxTransitions = maxTransitions;
            this.every = every;
            this.ports = ports.clone();
            sampleOnce();
            thread = new Thread(this::loop, "wirelab-tcp-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                try {
                    Thread.sleep(every.toMillis(), (int) (every.toNanos() % 1_000_000L));
                } catch (InterruptedException e) {
                    break;
                }
                try {
                    if (!sampleOnce()) {
                        break;
                    }
                } catch (RuntimeException e) {
                    synchronized (seen) {
                        failure = e.getMessage();
                    }
                    break;
                }
            }
            running = false;
        }

        // Records the changes since the last sample; false once the bound is reached.
        private boolean sampleOnce() {
            TcpStates snapshot = sample(ports);
            synchronized (seen) {
                if (transitions >= maxTransitions) {
                    failure = "watch stopped after " + String.format("%,d", maxTransitions).replace(',', ' ')
                            + " state changes, its bound against runaway memory";
                    return false;
                }
                Map<List<InetSocketAddress>, TcpState> now = new LinkedHashMap<>();
                for (Row r : snapshot.rows()) {
                    now.putIfAbsent(List.of(r.local(), r.remote()), r.state());
                }
                for (var e : now.entrySet()) {
                    if (current.get(e.getKey()) != e.getValue()) {
                        seen.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(new TcpStateHistory.Transition(snapshot.at(), e.getValue()));
                        transitions++;
                    }
                }
                for (var key : current.keySet()) {
                    if (!now.containsKey(key) && current.get(key) != TcpState.CLOSE) {
                        seen.get(key).add(new TcpStateHistory.Transition(snapshot.at(), TcpState.CLOSE));
                        transitions++;
                        now.put(key, TcpState.CLOSE);
                    }
                }
                for (var e : current.entrySet()) {
                    if (e.getValue() == TcpState.CLOSE && !now.containsKey(e.getKey())) {
                        now.put(e.getKey(), TcpState.CLOSE);
                    }
                }
                current.clear();
                current.putAll(now);
                samples++;
                return true;
            }
        }

        /** How many samples were taken so far, e.g. {@code 120}; counts up while {@link #running()}. */
        public int samples() {
            return samples;
        }

        /** Whether the sampler still runs: until {@link #stop()}, a re-run of its cell, or its bound. */
        public boolean running() {
            return running && thread.isAlive();
        }

        /** Same as {@link #running()}: the sampler goes on by itself until stopped. */
        @Override
        public boolean active() {
            return running();
        }

        /** Stops sampling (waiting for the thread to end) and returns every transition seen. */
        public TcpStateHistory stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(Lifecycle.timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Lifecycle.untrack(this);
            try {
                sampleOnce();
            } catch (RuntimeException e) {
                // the last sample is a bonus; the history so far stands
            }
            synchronized (seen) {
                return new TcpStateHistory(started, ports, seen, failure);
            }
        }

        /** Same as {@link #stop()}, discarding the history. */
        @Override
        public void close() {
            stop();
        }
    }
}

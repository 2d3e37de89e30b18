package org.wirelab.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.lifecycle.Lifecycle;

/**
 * A full accept queue on loopback, bounded: a {@link ServerSocket} on 127.0.0.1 with a small
 * backlog whose {@code accept()} is never called, and a fixed number of clients connecting to it
 * without blocking. The kernel completes handshakes by itself until the queue holds backlog + 1
 * connections (Linux), then drops further SYNs, so the remaining clients stay in SYN_SENT and
 * retransmit their SYN (after 1 s, then 3 s ...) until {@link #close()}. A SYN flood aims at the
 * same effect with forged SYNs that fill the queue of half-open connections (RFC 4987).
 *
 * <pre>{@code
 * var queue = Backlog.fill(1, 5);      // 2 clients ESTABLISHED (queued, never accepted), 3 in SYN_SENT
 * queue.clientsIn(TcpState.SYN_SENT)   // 3
 * }</pre>
 */
public final class Backlog implements org.wirelab.lifecycle.Activity, Rich {

    /** {@value}: most clients one demo may open. */
    public static final int MAX_CLIENTS = 64;

    private static final Path NETSTAT = Path.of("/proc/net/netstat");
    private static final Path SYNCOOKIES = Path.of("/proc/sys/net/ipv4/tcp_syncookies");

    private final int backlog;
    private final ServerSocket listener;
    private final List<SocketChannel> clients = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final long overflowsBefore;
    private TcpStates atFill;
    private volatile boolean closed;

    private Backlog(int backlog, ServerSocket listener, long overflowsBefore) {
        this.backlog = backlog;
        this.listener = listener;
        this.overflowsBefore = overflowsBefore;
    }

    /**
     * Listens on 127.0.0.1 (ephemeral port) with {@code backlog}, never accepting, and starts
     * {@code clients} non-blocking connects to it, e.g. {@code fill(1, 5)}; returns once every
     * client is ESTABLISHED or SYN_SENT in {@code /proc/net/tcp} (at most {@link Lifecycle#timeout()}).
     */
    public static Backlog fill(int backlog, int clients) {
        if (backlog < 1 || backlog > 16) {
            throw new IllegalArgumentException("backlog must be 1..16 for this demo, was " + backlog);
        }
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("clients must be 1.." + MAX_CLIENTS + ", was " + clients);
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Backlog demo;
        try {
            demo = new Backlog(backlog, new ServerSocket(0, backlog, loopback), listenOverflowsNow().orElse(-1L));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + loopback.getHostAddress() + ": " + e.getMessage(), e);
        }
        Lifecycle.track("backlog", demo);
        try {
            for (int i = 0; i < clients; i++) {
                SocketChannel c = SocketChannel.open();
                demo.clients.add(c);
                c.configureBlocking(false);
                c.bind(new InetSocketAddress(loopback, 0));
                c.connect(new InetSocketAddress(loopback, demo.port()));
                demo.clientPorts.add(((InetSocketAddress) c.getLocalAddress()).getPort());
            }
        } catch (IOException e) {
            demo.close();
            throw new UncheckedIOException("cannot open client " + (demo.clients.size()) + ": " + e.getMessage(), e);
        }
        demo.atFill = demo.awaitSettled();
        return demo;
    }

    /**
     * The value of {@code net.ipv4.tcp_syncookies}, e.g. {@code 1}: 0 off, 1 cookies only while
     * the SYN queue overflows (the Linux default), 2 always; -1 when the file cannot be read.
     */
    public static int syncookies() {
        try {
            return Integer.parseInt(Files.readString(SYNCOOKIES).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The listening port, e.g. {@code 43817}. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The backlog given to {@code listen()}, e.g. {@code 1}. */
    public int backlog() {
        return backlog;
    }

    /** The clients' local ports, in the order they connected. */
    public List<Integer> clientPorts() {
        return List.copyOf(clientPorts);
    }

    /**
     * The snapshot taken when every client had settled in ESTABLISHED or SYN_SENT, kept as it was:
     * a held client retransmits its SYN only {@code net.ipv4.tcp_syn_retries} times (6 by default,
     * about 127 s in all) and then gives up, so a later {@link #states()} no longer shows it.
     */
    public TcpStates atFill() {
        return atFill;
    }

    /** A fresh snapshot of every socket on the listening port (listener, queued, clients). */
    public TcpStates states() {
        return TcpStates.sample(port());
    }

    /** How many clients are in {@code state} now, e.g. {@code clientsIn(TcpState.SYN_SENT)} is 3. */
    public long clientsIn(TcpState state) {
        TcpStates now = states();
        return clientPorts.stream().filter(p -> now.state(p, port()).equals(Optional.of(state))).count();
    }

    /** How many connections sit in the accept queue: server-side sockets ESTABLISHED, e.g. {@code 2}. */
    public long queued() {
        TcpStates now = states();
        return clientPorts.stream().filter(p -> now.state(port(), p).equals(Optional.of(TcpState.ESTABLISHED))).count();
    }

    /**
     * How much the kernel's {@code TcpExt ListenOverflows} counter of {@code /proc/net/netstat} grew
     * since {@link #fill}, e.g. {@code 3}: one per SYN dropped because an accept queue was full. The
     * counter covers the whole network namespace; -1 when it cannot be read.
     */
    public long listenOverflows() {
        Optional<Long> now = listenOverflowsNow();
        return now.isEmpty() || overflowsBefore < 0 ? -1 : now.get() - overflowsBefore;
    }

    /** Whether the demo still runs: its held clients retransmit their SYNs until {@link #close()}. */
    @Override
    public boolean active() {
        return !closed;
    }

    /** Closes every client (a SYN_SENT client just stops retransmitting) and the listener. */
    @Override
    public void close() {
        closed = true;
        Lifecycle.untrack(this);
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // already gone
            }
        }
        try {
            listener.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public Map<String, Object> mimeBundle() {
        String head = heading();
        TcpStates now = states();
        Map<String, Object> table = now.mimeBundle();
        return MimeBundle.text(head + "\n" + now).html("<div class=\"wl-backlog\"><p class=\"wl-heading\">"
                + Html.escape(head) + "</p>" + table.get(MimeBundle.HTML) + "</div>").build();
    }

    /** A heading line then the socket table, e.g. {@code listen backlog 1 on 127.0.0.1:43817, 5 clients: ...}. */
    @Override
    public String toString() {
        return heading() + "\n" + states();
    }

    private String heading() {
        if (closed) {
            return "listen backlog " + backlog + " on 127.0.0.1:" + port() + " (closed)";
        }
        long established = clientsIn(TcpState.ESTABLISHED);
        long held = clientsIn(TcpState.SYN_SENT);
        long gone = clientPorts.size() - established - held;
        return "listen backlog " + backlog + " on 127.0.0.1:" + port() + ", never accepting; " + clientPorts.size()
                + " clients: " + established + " ESTABLISHED (queued), " + held + " SYN_SENT (SYN dropped, retransmitting)"
                + (gone > 0 ? ", " + gone + " gave up (their SYN retries, net.ipv4.tcp_syn_retries, ran out; atFill() keeps the first look)" : "");
    }

    // Waits until each client shows ESTABLISHED or SYN_SENT, polling /proc every millisecond;
    // returns the last snapshot.
    private TcpStates awaitSettled() {
        long deadline = System.nanoTime() + Lifecycle.timeout().toNanos();
        TcpStates now = states();
        while (System.nanoTime() < deadline) {
            TcpStates seen = now;
            boolean settled = clientPorts.stream().allMatch(p -> seen.state(p, port()).map(
                    s -> s == TcpState.ESTABLISHED || s == TcpState.SYN_SENT).orElse(false));
            if (settled) {
                return now;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
            now = states();
        }
        return now;
    }

    // "TcpExt: SyncookiesSent ... ListenOverflows ..." then a line of values under the same prefix.
    static Optional<Long> listenOverflowsNow() {
        try {
            return listenOverflows(Files.readAllLines(NETSTAT));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> listenOverflows(List<String> netstat) {
        return org.wirelab.netstat.Counters.parse(netstat, "TcpExt").map(c -> c.get("ListenOverflows"));
    }
}

package org.wirelab.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.wirelab.diagram.Chart;
import org.wirelab.display.SelfCheck;
import org.wirelab.dissect.TcpStream;

/**
 * The experiments of notebook 09 (and notebook 10's {@link #http2Stall()}), each on a fresh {@link Network} that is torn down when it ends:
 * live where namespaces can be made, else the {@link Outcome} recorded by the same code
 * ({@link Outcome#RECORD_COMMAND}).
 *
 * <pre>{@code
 * var seg = RealNetwork.segments();     // writes of 1, 3000, 20000, 10, 10, 10 bytes → MSS-sized segments
 * RealNetwork.check(seg)                // ✔ / not checked here: ...
 * }</pre>
 */
public final class RealNetwork {

    /** {@value}: tcp.flags.fin. */
    public static final int FIN = 0x01;
    /** {@value}: tcp.flags.syn. */
    public static final int SYN = 0x02;
    /** {@value}: tcp.flags.reset. */
    public static final int RST = 0x04;
    /** {@value}: tcp.flags.ack. */
    public static final int ACK = 0x10;

    /** The writes of the segments experiment, in bytes. */
    public static final int[] WRITES = {1, 3000, 20000, 10, 10, 10};

    private RealNetwork() {
    }

    /** Whether experiments run live here, or why they show recorded outcomes. */
    public static Network.Availability available() {
        return Network.available();
    }

    interface Body {
        void run(Network net, Map<String, String> facts, Map<String, byte[]> pcaps) throws Exception;
    }

    private static Outcome run(String name, Body body) {
        Network.Availability a = Network.available();
        if (!a.yes()) {
            return Outcome.recorded(name);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        Map<String, byte[]> pcaps = new LinkedHashMap<>();
        try (Network net = Network.build()) {
            body.run(net, facts, pcaps);
            return new Outcome(name, "live: " + net.mode() + ", " + LocalDate.now(), net.mechanisms(), facts, pcaps);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted; the network was torn down", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- 1. segments

    /**
     * The client writes {@link #WRITES} back to back on one connection through the router (a 10
     * Mbit/s TBF link toward the server); the capture on the router's client side (rc) shows the
     * segments TCP made of them.
     */
    public static Outcome segments() {
        return run("segments", (net, facts, pcaps) -> {
            // Without a slower link, veth answers each segment's ACK within the sender's write() call,
            // so no later write could ever join unsent bytes; 10 Mbit/s is what a real link takes.
            net.router().sh("tc qdisc add dev rs root tbf rate 10mbit burst 3000 limit 60000");
            net.mechanism("link: tc qdisc tbf rate 10mbit burst 3000 limit 60000 on the router's server side (rs),"
                    + " so ACKs take as long as a 10 Mbit/s link makes them");
            net.router().startCapture("rc", Network.CLIENT_IP);
            net.server().peer("listen 9001 8 sink");
            net.client().peer("connect c1 " + Network.SERVER_IP + " 9001");
            String writes = java.util.Arrays.stream(WRITES).mapToObj(String::valueOf).collect(Collectors.joining(" "));
            facts.put("writes (bytes, one write() each)", writes);
            net.client().peer("write c1 " + writes);
            int total = java.util.Arrays.stream(WRITES).sum();
            facts.put("server received", net.server().peer("received 9001.1 " + total + " 10000").substring(3));
            net.client().peer("close c1");
            net.server().peer("received 9001.1 " + (total + 1) + " 2000");
            pcaps.put("router-rc", net.router().stopCapture("rc"));
        });
    }

    /** Payload lengths of the client's data segments (tcp.len > 0) toward {@code port}, in capture order. */
    public static List<Integer> dataSegments(Outcome o, String capture, int port) {
        return o.segments(capture).stream().filter(s -> s.dstport() == port && s.len() > 0)
                .map(Outcome.Segment::len).toList();
    }

    /** The MSS the server announced in its SYN-ACK (tcp.options.mss_val). */
    public static int serverMss(Outcome o, String capture) {
        var pc = o.capture(capture);
        for (var d : pc.packets()) {
            if (d.field("tcp.flags").isPresent() && (Integer.decode(d.value("tcp.flags")) & (SYN | ACK)) == (SYN | ACK)) {
                return Integer.parseInt(d.value("tcp.options.mss_val"));
            }
        }
        throw new IllegalStateException("no SYN-ACK in " + capture);
    }

    /**
     * The writes and the segments side by side: each data segment from the capture on rc with the
     * stream bytes it carries and the writes they came from, e.g. {@code frame 48  len 30  bytes
     * 23001..23030  ← writes 4, 5, 6}.
     */
    public static String writesAndSegments(Outcome o) {
        List<Outcome.Segment> data = o.segments("router-rc").stream().filter(s -> s.dstport() == 9001 && s.len() > 0).toList();
        long[] ends = new long[WRITES.length];
        StringBuilder out = new StringBuilder();
        long at = 0;
        for (int i = 0; i < WRITES.length; i++) {
            out.append(String.format("write %d: %6d bytes  stream bytes %5d..%d%n", i + 1, WRITES[i], at, at + WRITES[i] - 1));
            at += WRITES[i];
            ends[i] = at;
        }
        long base = data.isEmpty() ? 0 : data.get(0).seq();
        for (Outcome.Segment s : data) {
            long start = (s.seq() - base) & 0xffffffffL;
            long end = start + s.len();
            List<String> from = new ArrayList<>();
            long begin = 0;
            for (int i = 0; i < WRITES.length; i++) {
                if (start < ends[i] && end > begin) {
                    from.add(String.valueOf(i + 1));
                }
                begin = ends[i];
            }
            out.append(String.format("frame %3d: tcp.len %4d  stream bytes %5d..%-5d ← write%s %s%n", s.frame(), s.len(), start,
                    end - 1, from.size() > 1 ? "s" : "", String.join(", ", from)));
        }
        return out.toString().stripTrailing();
    }

    /** Segments that carry bytes of more than one write (merged writes: 粘包), as "frame: bytes a..b". */
    public static List<String> mergedWrites(Outcome o) {
        List<Outcome.Segment> data = o.segments("router-rc").stream().filter(s -> s.dstport() == 9001 && s.len() > 0).toList();
        if (data.isEmpty()) {
            return List.of();
        }
        long base = data.get(0).seq();
        Set<Long> boundaries = new TreeSet<>();
        long at = 0;
        for (int w : WRITES) {
            at += w;
            boundaries.add(at);
        }
        List<String> merged = new ArrayList<>();
        for (Outcome.Segment s : data) {
            long start = (s.seq() - base) & 0xffffffffL;
            long end = start + s.len();
            for (long b : boundaries) {
                if (b > start && b < end) {
                    merged.add("frame " + s.frame() + ": stream bytes " + start + ".." + (end - 1) + " cross the end of a write at " + b);
                    break;
                }
            }
        }
        return merged;
    }

    // ---------------------------------------------------------------- 2. loss

    /**
     * 200 000 bytes through a router dropping about 5 % of client→server data packets (fast
     * retransmit after duplicate ACKs), then 3000 more bytes while it drops all of them for 1.5 s
     * (retransmission after an RTO).
     */
    public static Outcome loss() {
        return run("loss", (net, facts, pcaps) -> {
            net.router().startCapture("rc", Network.CLIENT_IP, 128);
            net.router().startCapture("rs", Network.SERVER_IP, 128);
            net.server().peer("listen 9002 8 sink");
            net.client().peer("connect c1 " + Network.SERVER_IP + " 9002");
            String data = "ip saddr " + Network.CLIENT_IP + " tcp dport 9002 ip length > 100";
            nft(net, "add rule ip wirelab path " + data + " numgen random mod 100 < 5 counter drop");
            net.mechanism("loss: nftables on the router, forward hook: '" + data + " numgen random mod 100 < 5 drop'"
                    + " (about 5 % of the client's data packets; nftables, not netem" + (net.netem().present() ? ""
                    : ", which this kernel lacks: tc says '" + net.netem().error() + "'") + ")");
            net.client().peer("write c1 50000 50000 50000 50000");
            facts.put("server received (random loss)", net.server().peer("received 9002.1 200000 30000").substring(3));
            facts.put("nftables counter (random loss)", counter(net));
            nft(net, "flush chain ip wirelab path");
            nft(net, "add rule ip wirelab path " + data + " counter drop");
            net.mechanism("outage: nftables on the router drops every client data packet ('" + data + " drop') for 1.5 s");
            net.client().peer("write c1 3000");
            Thread.sleep(1500);
            facts.put("nftables counter (1.5 s outage)", counter(net));
            net.router().sh("nft flush chain ip wirelab path");
            facts.put("server received (after the outage)", net.server().peer("received 9002.1 203000 10000").substring(3));
            net.client().peer("close c1");
            net.server().peer("received 9002.1 203001 2000");
            pcaps.put("router-rc", net.router().stopCapture("rc"));
            pcaps.put("router-rs", net.router().stopCapture("rs"));
        });
    }

    // One nft command in the router; the rule is quoted whole, so '<' and '>' reach nft.
    private static void nft(Network net, String command) {
        net.router().sh("nft '" + command + "'");
    }

    private static String counter(Network net) {
        Matcher m = Pattern.compile("counter packets (\\d+) bytes (\\d+)").matcher(net.router().sh("nft list chain ip wirelab path"));
        return m.find() ? m.group(1) + " packets (" + m.group(2) + " bytes) dropped" : "no counter";
    }

    /**
     * Retransmissions sent after a pause of at least 150 ms on the client's side of the path (no
     * duplicate ACKs could have triggered them: a retransmission timeout), as "frame N after T ms".
     */
    public static List<String> afterTimeout(Outcome o) {
        List<String> out = new ArrayList<>();
        Set<Long> sent = new java.util.HashSet<>();
        Instant previous = null;
        for (Outcome.Segment s : o.segments("router-rc")) {
            if (s.dstport() != 9002 || s.len() == 0) {
                continue;
            }
            if (!sent.add(s.seq()) && previous != null) {
                long gap = Duration.between(previous, s.time()).toMillis();
                if (gap >= 150) {
                    out.add("frame " + s.frame() + " (seq_raw " + s.seq() + ") after " + gap + " ms of silence");
                }
            }
            previous = s.time();
        }
        return out;
    }

    // ---------------------------------------------------------------- 4. SYN flood

    /**
     * 20 SYNs from 10.0.1.3 whose final ACKs the router drops, against a listener with backlog 8:
     * first with SYN cookies off (port 9041), then on (port 9042); each time a legitimate client
     * from 10.0.1.2 tries to connect (2.5 s timeout).
     */
    public static Outcome synFlood() {
        return run("syn-flood", (net, facts, pcaps) -> {
            net.router().startCapture("rs", Network.SERVER_IP);
            String ackOnly = "ip saddr " + Network.FLOOD_IP + " tcp flags & (fin|syn|rst|ack) == ack";
            nft(net, "add rule ip wirelab path " + ackOnly + " counter drop");
            net.mechanism("half-open connections: nftables on the router drops every ACK without SYN/FIN/RST from "
                    + Network.FLOOD_IP + " ('" + ackOnly + " drop'), so those handshakes never finish");
            for (int cookies = 0; cookies <= 1; cookies++) {
                int port = 9041 + cookies;
                String label = cookies == 0 ? "SYN cookies off" : "SYN cookies on";
                net.server().sh("echo " + cookies + " > /proc/sys/net/ipv4/tcp_syncookies");
                net.server().peer("listen " + port + " 8 hold");
                String before = netstat(net);
                net.client().peer("flood " + Network.SERVER_IP + " " + port + " 20 " + Network.FLOOD_IP);
                Thread.sleep(300);
                String states = net.server().peer("states " + port).substring(2).strip();
                facts.put(label + ": net.ipv4.tcp_syncookies", net.server().sh("cat /proc/sys/net/ipv4/tcp_syncookies").strip());
                facts.put(label + ": server's /proc/net/tcp", states);
                facts.put(label + ": SYN_RECV sockets", String.valueOf(states.lines().filter(l -> l.endsWith("SYN_RECV")).count()));
                facts.put(label + ": legitimate client " + Network.CLIENT_IP,
                        net.client().peer("try-connect L" + port + " " + Network.SERVER_IP + " " + port + " 2500").substring(3));
                facts.put(label + ": /proc/net/netstat TcpExt (change)", diff(before, netstat(net)));
            }
            pcaps.put("router-rs", net.router().stopCapture("rs"));
        });
    }

    private static final List<String> COUNTERS = List.of("TCPReqQFullDrop", "TCPReqQFullDoCookies", "ListenDrops",
            "SyncookiesSent", "SyncookiesRecv");

    private static String netstat(Network net) {
        return net.server().sh("cat /proc/net/netstat; cat /proc/net/snmp");
    }

    // "TcpExt: A B ...\nTcpExt: 1 2 ..." before and after → "TCPReqQFullDrop +12, ..."
    static String diff(String before, String after) {
        Map<String, Long> a = counters(before);
        Map<String, Long> b = counters(after);
        return COUNTERS.stream().map(c -> c + " +" + (b.getOrDefault(c, 0L) - a.getOrDefault(c, 0L)))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Long> counters(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String[] names = lines.get(i).split("\\s+");
            String[] values = lines.get(i + 1).split("\\s+");
            if (names[0].equals(values[0]) && names.length == values.length && !values[1].matches(".*[A-Za-z].*")) {
                for (int k = 1; k < names.length; k++) {
                    out.put(names[k], Long.parseLong(values[k]));
                }
                i++;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- 6. simultaneous close

    /**
     * Both ends close one connection while a TBF bottleneck on each of the router's interfaces
     * holds about 0.9 s of UDP filler, so each FIN is sent before the other arrives: the FINs cross,
     * both ends pass through CLOSING (the router drops the bare ACKs, so CLOSING lasts until the
     * next FIN retransmission) and both end in TIME_WAIT.
     */
    public static Outcome simultaneousClose() {
        return run("simultaneous-close", (net, facts, pcaps) -> {
            net.router().startCapture("rc", Network.CLIENT_IP, 128);
            net.router().startCapture("rs", Network.SERVER_IP, 128);
            net.server().peer("listen 9006 8 hold");
            String local = net.client().peer("connect c1 " + Network.SERVER_IP + " 9006").substring(3);
            Thread.sleep(200);
            for (String dev : List.of("rc", "rs")) {
                net.router().sh("tc qdisc add dev " + dev + " root tbf rate 1mbit burst 1600 limit 200000");
            }
            net.mechanism("delay: a TBF queue (tc qdisc tbf rate 1mbit burst 1600 limit 200000) on both router interfaces,"
                    + " filled with 80 UDP datagrams of 1400 bytes each way, so a segment sent now waits about 0.9 s"
                    + " (" + net.netem() + ")");
            String bareAck = "tcp flags == ack"; // this connection carries no data: ACK alone is a bare ACK
            nft(net, "add rule ip wirelab path tcp dport 9006 " + bareAck + " counter drop");
            nft(net, "add rule ip wirelab path tcp sport 9006 " + bareAck + " counter drop");
            net.mechanism("ACKs held back: nftables on the router drops segments of port 9006 whose only flag is ACK ('" + bareAck + " drop'),"
                    + " until both ends are in CLOSING, then lets them through");
            net.client().peer("udp " + Network.SERVER_IP + " 9 80 1400");
            net.server().peer("udp " + Network.CLIENT_IP + " 9 80 1400");
            net.client().peer("close c1");
            net.server().peer("close 9006.1");
            List<String> client = new ArrayList<>();
            List<String> server = new ArrayList<>();
            boolean released = false;
            long end = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < end) {
                note(client, state(net.client().peer("states 9006")));
                note(server, state(net.server().peer("states 9006")));
                String c = client.get(client.size() - 1);
                String v = server.get(server.size() - 1);
                if (!released && c.startsWith("CLOSING") && v.startsWith("CLOSING")) {
                    // Both are in CLOSING: let ACKs through again, so each FIN gets acknowledged.
                    nft(net, "flush chain ip wirelab path");
                    released = true;
                }
                if (c.startsWith("TIME_WAIT") && v.startsWith("TIME_WAIT")) {
                    break;
                }
                Thread.sleep(20);
            }
            facts.put("connection", local + " → " + Network.SERVER_IP + ":9006 (the server sees " + Network.ROUTER_SERVER_IP + ")");
            facts.put("client's states, sampled back to back (×n: n samples)", String.join(" → ", client));
            facts.put("server's states, sampled back to back (×n: n samples)", String.join(" → ", server));
            net.router().sh("nft flush chain ip wirelab path; tc qdisc del dev rc root; tc qdisc del dev rs root");
            pcaps.put("router-rc", net.router().stopCapture("rc"));
            pcaps.put("router-rs", net.router().stopCapture("rs"));
        });
    }

    private static String state(String statesAnswer) {
        return statesAnswer.lines().skip(1).filter(l -> !l.contains("LISTEN")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("(gone)");
    }

    // Appends a state, or counts one more sample of the state seen last: "CLOSING ×12".
    private static void note(List<String> seen, String state) {
        if (!seen.isEmpty()) {
            String last = seen.get(seen.size() - 1);
            String name = last.split(" ")[0];
            if (name.equals(state)) {
                int n = last.contains("×") ? Integer.parseInt(last.substring(last.indexOf('×') + 1)) : 1;
                seen.set(seen.size() - 1, state + " ×" + (n + 1));
                return;
            }
        }
        seen.add(state);
    }

    // ---------------------------------------------------------------- 5. NAT

    /**
     * Two idle connections through the NAT, whose conntrack timeout for established TCP is set to
     * 2 s in the router's namespace; one has TCP keepalive every 1 s. After 3.5 s of silence the
     * server sends on both.
     */
    public static Outcome nat() {
        return run("nat", (net, facts, pcaps) -> {
            net.router().startCapture("rs", Network.SERVER_IP);
            net.router().sh("echo 2 > /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established");
            net.mechanism("NAT: nftables masquerade on the router (chain nat, oifname \"rs\"), its conntrack forgets an"
                    + " established TCP flow after 2 s idle (net.netfilter.nf_conntrack_tcp_timeout_established = 2 in the"
                    + " router's namespace only; the default is 432000 s)");
            net.server().peer("listen 9005 8 hold");
            facts.put("client 'quiet' (no keepalive)", net.client().peer("connect quiet " + Network.SERVER_IP + " 9005").substring(3));
            Thread.sleep(100);
            facts.put("client 'kept'", net.client().peer("connect kept " + Network.SERVER_IP + " 9005").substring(3));
            facts.put("keepalive on 'kept'", net.client().peer("keepalive kept 1 1 5").substring(3));
            net.client().peer("write quiet 10");
            net.client().peer("write kept 10");
            Thread.sleep(200);
            facts.put("conntrack at 0 s", conntrack(net));
            Thread.sleep(3500);
            facts.put("conntrack after 3.5 s idle", conntrack(net));
            facts.put("server sends 100 bytes on 'quiet' (9005.1)", net.server().peer("write 9005.1 100"));
            facts.put("server sends 100 bytes on 'kept' (9005.2)", net.server().peer("write 9005.2 100"));
            facts.put("client reads 'quiet'", net.client().peer("read quiet 100 1000").substring(3));
            facts.put("client reads 'kept'", net.client().peer("read kept 100 2000").substring(3));
            String again;
            try {
                again = net.server().peer("write 9005.1 100");
            } catch (IllegalStateException e) {
                again = e.getMessage().substring(e.getMessage().indexOf("→") + 2);
            }
            facts.put("server sends again on 'quiet'", again);
            facts.put("server's /proc/net/tcp", net.server().peer("states 9005").substring(2).strip());
            pcaps.put("router-rs", net.router().stopCapture("rs"));
        });
    }

    private static String conntrack(Network net) {
        String table = net.router().sh("cat /proc/net/nf_conntrack").lines().filter(l -> l.contains("dport=9005"))
                .map(l -> l.replaceAll("\\s+", " ").replaceAll(" (mark|zone|secctx|use)=\\S+", "")).collect(Collectors.joining("\n"));
        return table.isEmpty() ? "(no entry for port 9005)" : table;
    }

    // ---------------------------------------------------------------- 3. bottleneck

    /**
     * 1 500 000 bytes through a TBF bottleneck (10 mbit/s, a 60 000-byte queue) on the router's
     * server side: RTT, measured from each data segment to the ACK covering it, grows while the
     * queue fills; throughput stays at the link's rate.
     */
    public static Outcome bottleneck() {
        return run("bottleneck", (net, facts, pcaps) -> {
            net.router().sh("tc qdisc add dev rs root tbf rate 10mbit burst 3000 limit 60000");
            net.mechanism("bottleneck: tc qdisc tbf rate 10mbit burst 3000 limit 60000 on the router's server side (rs):"
                    + " a finite queue, then tail drop");
            net.router().startCapture("rc", Network.CLIENT_IP, 128);
            net.server().peer("listen 9003 8 sink");
            net.client().peer("connect c1 " + Network.SERVER_IP + " 9003");
            net.client().peer("write c1 500000 500000 500000");
            facts.put("server received", net.server().peer("received 9003.1 1500000 30000").substring(3));
            facts.put("tc -s qdisc show dev rs", net.router().sh("tc -s qdisc show dev rs").strip());
            net.client().peer("close c1");
            pcaps.put("router-rc", net.router().stopCapture("rc"));
        });
    }

    /**
     * The bottleneck over time: per 100 ms, the bytes the server acknowledged (Mbit/s) and the
     * largest RTT of a segment sent in that interval (ms), from the capture on rc.
     */
    public static Chart bottleneckChart(Outcome o) {
        List<Outcome.Segment> segs = o.segments("router-rc");
        Map<Long, Instant> sentAt = new java.util.HashMap<>();
        Instant t0 = null;
        long firstSeq = -1;
        Map<Integer, Long> acked = new java.util.TreeMap<>();
        Map<Integer, Double> rtt = new java.util.TreeMap<>();
        long lastAck = -1;
        for (Outcome.Segment s : segs) {
            if (s.dstport() == 9003 && s.len() > 0) {
                if (t0 == null) {
                    t0 = s.time();
                    firstSeq = s.seq();
                }
                sentAt.putIfAbsent((s.seq() + s.len()) & 0xffffffffL, s.time());
            } else if (s.srcport() == 9003 && s.has(ACK) && t0 != null) {
                int bucket = (int) (Duration.between(t0, s.time()).toMillis() / 100);
                Instant sent = sentAt.remove(s.ack());
                if (sent != null) {
                    int sb = (int) (Duration.between(t0, sent).toMillis() / 100);
                    rtt.merge(sb, Duration.between(sent, s.time()).toNanos() / 1e6, Math::max);
                }
                if (lastAck >= 0) {
                    acked.merge(bucket, (s.ack() - lastAck) & 0xffffffffL, Long::sum);
                }
                lastAck = s.ack();
            }
        }
        Chart chart = Chart.line("TCP through a 10 Mbit/s TBF bottleneck (" + (o.live() ? "live" : "recorded") + ")")
                .x("time", "s").y("value");
        acked.forEach((b, bytes) -> chart.add("throughput (Mbit/s)", b / 10.0, bytes * 8 / 1e5));
        rtt.forEach((b, ms) -> chart.add("RTT (ms)", b / 10.0, ms));
        return chart;
    }

    // ---------------------------------------------------------------- 7. HTTP/2 over one lost segment

    /** The port of the HTTP/2 demo server in the server namespace: {@value}. */
    public static final int H2_PORT = 9010;
    /** What the two streams ask for: stream 1 (A), and stream 3 (B) once the server's SETTINGS arrived. */
    public static final String H2_PATH_A = "/bytes/1200", H2_PATH_B = "/bytes/1200";
    /**
     * How long after the server's first frame (its SETTINGS) the client sends stream 3's request, in
     * ms: {@value}, at once. The server answers each stream with its own flush, so stream 1's answer
     * leaves in its own segment, and stream 3's follows within milliseconds.
     */
    public static final int H2_GAP_MS = 0;

    /**
     * kernel-ext's {@link org.wirelab.http2.Http2DemoServer} in the server namespace, an HTTP/2
     * client with prior knowledge in the client namespace, two streams on one TCP connection: GET
     * {@value #H2_PATH_A} on stream 1, and as soon as the server's SETTINGS arrived GET
     * {@value #H2_PATH_B} on stream 3. The router drops exactly one server→client segment, the first carrying more than
     * 1000 bytes (stream 1's answer), once. The client's kernel offers no SACK, so the server learns
     * of the loss only from its retransmission timer. Captures on both router interfaces; the
     * client notes when each frame reached it.
     */
    public static Outcome http2Stall() {
        return run("http2-stall", (net, facts, pcaps) -> {
            net.client().sh("echo 0 > /proc/sys/net/ipv4/tcp_sack");
            net.mechanism("no SACK: net.ipv4.tcp_sack = 0 in the client's namespace, so its SYN offers no SACK_PERM and the server hears"
                    + " of a hole only through duplicate ACKs (3 make a fast retransmit) or its retransmission timer");
            net.router().startCapture("rs", Network.SERVER_IP);
            net.router().startCapture("rc", Network.CLIENT_IP);
            String serve = "serve http2 " + H2_PORT + " " + Network.SERVER_IP;
            facts.put("server namespace: " + serve, net.server().peer(serve).substring(3));
            String big = "ip saddr " + Network.SERVER_IP + " tcp sport " + H2_PORT + " ip length > 1000";
            nft(net, "add rule ip wirelab path " + big + " numgen inc mod 1000000 == 0 counter drop");
            net.mechanism("one loss: nftables on the router, forward hook: '" + big + " numgen inc mod 1000000 == 0 drop'"
                    + " (numgen inc counts the packets that match so far: only the first is dropped, once)");
            facts.put("client namespace: h2 (read time, bytes of the server's byte stream, frame)", net.client()
                    .peer("h2 " + Network.SERVER_IP + " " + H2_PORT + " " + H2_PATH_A + " " + H2_PATH_B + " " + H2_GAP_MS).substring(2).strip());
            facts.put("nftables counter", counter(net));
            pcaps.put("router-rs", net.router().stopCapture("rs"));
            pcaps.put("router-rc", net.router().stopCapture("rc"));
        });
    }

    /** One line of the client's log: when the application got a frame (or sent a request), and what. */
    record ClientEvent(Instant time, long first, long last, String what, int stream, boolean data) {
    }

    static List<ClientEvent> clientEvents(Outcome o) {
        List<ClientEvent> out = new ArrayList<>();
        Pattern frame = Pattern.compile("(\\d+)\\.(\\d{6}) (?:bytes (\\d+)\\.\\.(\\d+) )?(.*?s=(\\d+).*)");
        for (String line : o.fact("client namespace: h2 (read time, bytes of the server's byte stream, frame)").lines().toList()) {
            Matcher m = frame.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Instant t = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
            long first = m.group(3) == null ? -1 : Long.parseLong(m.group(3));
            long last = m.group(4) == null ? -1 : Long.parseLong(m.group(4));
            out.add(new ClientEvent(t, first, last, m.group(5), Integer.parseInt(m.group(6)), m.group(5).startsWith("DATA")));
        }
        return out;
    }

    /**
     * What the captures and the client's log say about the loss: the lost segment (its first copy
     * on rs), its second copy (on rs, and on rc), the segments that crossed rc in between, and the client
     * application's reads.
     */
    record Stall(long isn, Outcome.Segment lost, Outcome.Segment again, Outcome.Segment resent, List<Outcome.Segment> between,
                 List<Outcome.Segment> dupAcks, List<ClientEvent> client) {

        long offset(Outcome.Segment s) {
            return (s.seq() - isn - 1) & 0xffffffffL;
        }

        /** The frames whose bytes segment {@code s} carries, e.g. {@code s=1 HEADERS, s=1 DATA}. */
        List<ClientEvent> frames(Outcome.Segment s) {
            long from = offset(s);
            long to = from + s.len() - 1;
            return client.stream().filter(e -> e.first() >= 0 && e.first() <= to && e.last() >= from).toList();
        }

        /** The client application's first read of DATA on {@code stream}. */
        ClientEvent firstData(int stream) {
            return client.stream().filter(e -> e.data() && e.stream() == stream).findFirst()
                    .orElseThrow(() -> new AssertionError("self-check failed: the client read no DATA on stream " + stream));
        }

        /** Segments that crossed rc between the loss and the retransmission carrying DATA of {@code stream}. */
        List<Outcome.Segment> carrying(int stream) {
            return between.stream().filter(s -> frames(s).stream().anyMatch(f -> f.data() && f.stream() == stream)).toList();
        }
    }

    static Stall stall(Outcome o) {
        List<Outcome.Segment> rs = o.segments("router-rs");
        List<Outcome.Segment> rc = o.segments("router-rc");
        long isn = rs.stream().filter(s -> s.srcport() == H2_PORT && s.has(SYN) && s.has(ACK)).findFirst()
                .orElseThrow(() -> new AssertionError("self-check failed: no SYN-ACK from the server on rs")).seq();
        Set<Long> seen = new java.util.HashSet<>();
        Outcome.Segment again = rs.stream().filter(s -> s.srcport() == H2_PORT && s.len() > 0).filter(s -> !seen.add(s.seq()))
                .findFirst().orElseThrow(() -> new AssertionError("self-check failed: the server sent no segment twice"));
        Outcome.Segment lost = rs.stream().filter(s -> s.srcport() == H2_PORT && s.seq() == again.seq() && s.len() > 0).findFirst().orElseThrow();
        Outcome.Segment resent = rc.stream().filter(s -> s.srcport() == H2_PORT && s.seq() == lost.seq() && s.len() > 0).findFirst()
                .orElseThrow(() -> new AssertionError("self-check failed: the lost segment never crossed rc"));
        List<Outcome.Segment> between = rc.stream().filter(s -> s.srcport() == H2_PORT && s.len() > 0 && s.time().isAfter(lost.time())
                && s.time().isBefore(resent.time())).toList();
        List<Outcome.Segment> dup = rc.stream().filter(s -> s.dstport() == H2_PORT && s.len() == 0 && !s.has(SYN) && !s.has(FIN)
                && s.ack() == lost.seq() && s.time().isAfter(lost.time()) && s.time().isBefore(resent.time())).toList();
        return new Stall(isn, lost, again, resent, between, dup, clientEvents(o));
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static String labels(List<ClientEvent> frames) {
        return frames.stream().map(f -> "s=" + f.stream() + " " + f.what().split(" ")[0]).distinct().collect(Collectors.joining(", "));
    }

    /**
     * The loss on one time line, from the first copy of the lost segment: segments on both router
     * interfaces, the client's duplicate ACKs and the client application's reads, e.g.
     * {@code +204.913 ms  router rc  server → client  bytes 63..1271 (s=1 HEADERS, s=1 DATA)  retransmission}.
     */
    public static String http2Timeline(Outcome o) {
        Stall st = stall(o);
        Instant t0 = st.client().get(0).time();
        Instant until = st.resent().time();
        java.util.TreeMap<Instant, List<String>> lines = new java.util.TreeMap<>();
        java.util.function.BiConsumer<Instant, String> add = (t, text) -> lines.computeIfAbsent(t, k -> new ArrayList<>()).add(text);
        for (String iface : List.of("rs", "rc")) {
            for (Outcome.Segment s : o.segments("router-" + iface)) {
                if (s.srcport() != H2_PORT || s.len() == 0 || s.time().isBefore(t0) || s.time().isAfter(until)) {
                    continue;
                }
                long from = st.offset(s);
                String note = "";
                if (s.seq() == st.lost().seq()) {
                    note = s.frame() == st.lost().frame() && iface.equals("rs") ? "  ← the router drops it"
                            : iface.equals("rs") ? "  the server sends it again (RTO)" : "  the second copy reaches the client";
                } else if (iface.equals("rc") && s.time().isAfter(st.lost().time())) {
                    note = "  → the client's kernel keeps it: bytes " + st.offset(st.lost()) + ".." + (st.offset(st.lost()) + st.lost().len() - 1)
                            + " are missing";
                }
                add.accept(s.time(), String.format("router %s  server → client  bytes %d..%d (%s)%s", iface, from, from + s.len() - 1,
                        labels(st.frames(s)), note));
            }
        }
        for (Outcome.Segment d : st.dupAcks()) {
            add.accept(d.time(), "router rc  client → server  ACK, still expecting byte " + ((d.ack() - st.isn() - 1) & 0xffffffffL));
        }
        for (ClientEvent e : st.client()) {
            add.accept(e.time(), "client app  " + (e.first() < 0 ? e.what().replace("sent ", "sends ") : "reads " + e.what()));
        }
        StringBuilder out = new StringBuilder();
        lines.forEach((t, texts) -> texts.forEach(text -> out.append(String.format(java.util.Locale.ROOT, "%+10.3f ms  %s%n", ms(t0, t), text))));
        ClientEvent b = st.firstData(3);
        List<Outcome.Segment> bOnWire = st.carrying(3);
        if (!bOnWire.isEmpty()) {
            out.append(String.format(java.util.Locale.ROOT, "stream 3's DATA waited %.1f ms in the client's kernel (from rc to the application);"
                    + " the second copy of the lost segment left the server %.1f ms after the first", ms(bOnWire.get(0).time(), b.time()),
                    ms(st.lost().time(), st.again().time())));
        }
        return out.toString().stripTrailing();
    }

    // ---------------------------------------------------------------- self-checks

    /**
     * The self-checks of an outcome: ✔ for each claim its data shows, an error for one it
     * contradicts, "not checked here" (with why) for one this run could not check.
     */
    public static SelfCheck check(Outcome o) {
        return switch (o.name()) {
            case "segments" -> checkSegments(o);
            case "loss" -> checkLoss(o);
            case "syn-flood" -> checkSynFlood(o);
            case "simultaneous-close" -> checkSimultaneousClose(o);
            case "nat" -> checkNat(o);
            case "bottleneck" -> checkBottleneck(o);
            case "http2-stall" -> checkHttp2Stall(o);
            default -> throw new IllegalArgumentException("no checks for " + o.name());
        };
    }

    private static SelfCheck checkSegments(Outcome o) {
        List<Integer> data = dataSegments(o, "router-rc", 9001);
        int mss = serverMss(o, "router-rc");
        int total = java.util.Arrays.stream(WRITES).sum();
        TcpStream stream = o.capture("router-rc").streams().stream().filter(s -> s.destination().endsWith(":9001"))
                .findFirst().orElseThrow(() -> new AssertionError("self-check failed: no client→server stream in the capture"));
        byte[] bytes = stream.bytes();
        boolean inOrder = bytes.length == total;
        for (int i = 0; inOrder && i < bytes.length; i++) {
            inOrder = bytes[i] == Peer.pattern(i);
        }
        SelfCheck c = SelfCheck.of("the capture holds a different number of segments than writes (" + WRITES.length
                + " writes, " + data.size() + " data segments)", data.size() != WRITES.length)
                .and("no segment is longer than the MSS the server announced (" + mss + ")", data.stream().allMatch(l -> l <= mss))
                .and("the server received every byte, in order", total + " in-order", o.fact("server received"))
                .and("the segments on the wire, put in sequence order, are the written bytes (" + total + ")", inOrder);
        List<String> merged = mergedWrites(o);
        return merged.isEmpty()
                ? c.andNotChecked("a segment carries the end of one write and the start of the next",
                        "no segment crossed a write boundary in this run; run the experiment again")
                : c.and("a segment carries the end of one write and the start of the next: " + merged.get(0), true);
    }

    private static SelfCheck checkLoss(Outcome o) {
        SelfCheck c = SelfCheck.of("the router dropped packets", !o.fact("nftables counter (random loss)").startsWith("0 "))
                .and("the server still received every byte, in order", "203000 in-order", o.fact("server received (after the outage)"));
        var retrans = o.tshark("router-rc", "tcp.analysis.retransmission || tcp.analysis.fast_retransmission");
        if (retrans.isEmpty()) {
            c.andNotChecked("tshark flags retransmissions (tcp.analysis.retransmission)",
                    "tshark is not installed here; install tshark (Wireshark's CLI) and run again");
        } else {
            c.and("tshark flags retransmissions on the router's client side (" + retrans.get().size() + " frames)", !retrans.get().isEmpty());
            var dup = o.tshark("router-rs", "tcp.analysis.duplicate_ack && tcp.srcport == 9002").orElseThrow();
            if (dup.isEmpty()) {
                c.andNotChecked("duplicate ACKs from the server", "tshark flagged none: no random drop had segments after it in this run; run again");
            } else {
                c.and("tshark flags duplicate ACKs from the server, past the drop (" + dup.size() + ", tcp.analysis.duplicate_ack)", true);
            }
            var fast = o.tshark("router-rc", "tcp.analysis.fast_retransmission").orElseThrow();
            if (fast.isEmpty()) {
                c.andNotChecked("a fast retransmission after duplicate ACKs", "tshark flagged none in this run; run again");
            } else {
                c.and("tshark flags fast retransmissions, after duplicate ACKs (" + fast.size() + ")", true);
            }
        }
        List<String> rto = afterTimeout(o);
        return c.and("a retransmission after a timeout (RTO): " + (rto.isEmpty() ? "none" : rto.get(0)), !rto.isEmpty());
    }

    private static SelfCheck checkSynFlood(Outcome o) {
        long offRecv = Long.parseLong(o.fact("SYN cookies off: SYN_RECV sockets"));
        SelfCheck c = SelfCheck.of("with SYN cookies off, the server's table holds SYN_RECV sockets (" + offRecv + ")", offRecv > 0)
                .and("with SYN cookies off, the legitimate client cannot connect",
                        o.fact("SYN cookies off: legitimate client " + Network.CLIENT_IP).startsWith("timeout"))
                .and("with SYN cookies off, the kernel counted SYNs dropped on a full queue (TCPReqQFullDrop)",
                        !o.fact("SYN cookies off: /proc/net/netstat TcpExt (change)").contains("TCPReqQFullDrop +0"))
                .and("with SYN cookies on, the legitimate client connects",
                        o.fact("SYN cookies on: legitimate client " + Network.CLIENT_IP).startsWith("connected"))
                .and("with SYN cookies on, the kernel answered with cookies (TCPReqQFullDoCookies)",
                        !o.fact("SYN cookies on: /proc/net/netstat TcpExt (change)").contains("TCPReqQFullDoCookies +0"));
        var synAckAgain = o.tshark("router-rs", "tcp.flags.syn == 1 && tcp.flags.ack == 1 && tcp.analysis.retransmission");
        if (synAckAgain.isEmpty()) {
            long again = synAckRetransmissions(o);
            return c.and("SYN-ACKs are sent again on the wire (" + again + ", counted by seq_raw)", again > 0)
                    .andNotChecked("tshark flags them as retransmissions", "tshark is not installed; install it and run again");
        }
        return c.and("tshark flags SYN-ACK retransmissions (" + synAckAgain.get().size() + ")", !synAckAgain.get().isEmpty());
    }

    /** SYN-ACKs with a sequence number already seen on that connection. */
    public static long synAckRetransmissions(Outcome o) {
        Set<String> seen = new java.util.HashSet<>();
        return o.segments("router-rs").stream().filter(s -> s.has(SYN) && s.has(ACK))
                .filter(s -> !seen.add(s.dstport() + "/" + s.seq())).count();
    }

    private static SelfCheck checkSimultaneousClose(Outcome o) {
        List<Outcome.Segment> fins = o.segments("router-rs").stream().filter(s -> s.has(FIN) && (s.srcport() == 9006 || s.dstport() == 9006)).toList();
        Outcome.Segment clientFin = fins.stream().filter(s -> s.dstport() == 9006).findFirst()
                .orElseThrow(() -> new AssertionError("self-check failed: no FIN from the client in the capture"));
        Outcome.Segment serverFin = fins.stream().filter(s -> s.srcport() == 9006).findFirst()
                .orElseThrow(() -> new AssertionError("self-check failed: no FIN from the server in the capture"));
        // Crossed: neither first FIN acknowledges the other's FIN (ack_raw does not pass the other's FIN).
        boolean crossed = clientFin.ack() != ((serverFin.seq() + 1) & 0xffffffffL) && serverFin.ack() != ((clientFin.seq() + 1) & 0xffffffffL);
        return SelfCheck.of("the two FINs cross: neither first FIN acknowledges the other", crossed)
                .and("the client passed through CLOSING", o.fact("client's states, sampled back to back (×n: n samples)").contains("CLOSING"))
                .and("the server passed through CLOSING", o.fact("server's states, sampled back to back (×n: n samples)").contains("CLOSING"))
                .and("the client ended in TIME_WAIT", o.fact("client's states, sampled back to back (×n: n samples)").matches(".*TIME_WAIT( ×\\d+)?$"))
                .and("the server ended in TIME_WAIT", o.fact("server's states, sampled back to back (×n: n samples)").matches(".*TIME_WAIT( ×\\d+)?$"));
    }

    private static String port(String address) {
        return address.substring(address.lastIndexOf(':') + 1);
    }

    private static SelfCheck checkNat(Outcome o) {
        String after = o.fact("conntrack after 3.5 s idle");
        long rstFromRouter = o.segments("router-rs").stream().filter(s -> s.has(RST) && s.src().equals(Network.ROUTER_SERVER_IP)).count();
        SelfCheck c = SelfCheck.of("conntrack tracked two connections at first", 2L, o.fact("conntrack at 0 s").lines().count())
                .and("after 3.5 s idle, conntrack holds one entry", 1L, after.lines().filter(l -> l.contains("ESTABLISHED")).count())
                .and("it is the connection with keepalive", after.contains("sport=" + port(o.fact("client 'kept'")) + " "))
                .and("the client never gets the bytes sent on the forgotten connection", o.fact("client reads 'quiet'").startsWith("0 bytes"))
                .and("the router answers the forgotten connection with a RST (" + rstFromRouter + " on the wire)", rstFromRouter > 0)
                .and("the client gets the bytes sent on the kept connection", "100 bytes", o.fact("client reads 'kept'"));
        // On rs the NAT has rewritten the client's address, not its port: the probes keep the client's port.
        String probes = "tcp.analysis.keep_alive && tcp.dstport == 9005 && tcp.srcport == ";
        var kept = o.tshark("router-rs", probes + port(o.fact("client 'kept'")));
        if (kept.isEmpty()) {
            return c.andNotChecked("keepalive probes cross the router on the kept connection only",
                    "tshark is not installed here; install tshark (Wireshark's CLI) and run again");
        }
        var quiet = o.tshark("router-rs", probes + port(o.fact("client 'quiet' (no keepalive)"))).orElseThrow();
        return c.and("keepalive probes cross the router on the kept connection (" + kept.get().size() + ", tcp.analysis.keep_alive)", !kept.get().isEmpty())
                .and("and none on the quiet one", 0, quiet.size());
    }

    /**
     * From the capture on rc: the average throughput (bytes the server acknowledged over the time
     * from the first data segment to the last ACK, Mbit/s) and the smallest and largest RTT (ms).
     */
    public static double[] bottleneckStats(Outcome o) {
        List<Outcome.Segment> segs = o.segments("router-rc");
        Map<Long, Instant> sentAt = new java.util.HashMap<>();
        Instant first = null;
        Instant last = null;
        long firstSeq = 0;
        long lastAck = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Outcome.Segment s : segs) {
            if (s.dstport() == 9003 && s.len() > 0) {
                if (first == null) {
                    first = s.time();
                    firstSeq = s.seq();
                }
                sentAt.putIfAbsent((s.seq() + s.len()) & 0xffffffffL, s.time());
            } else if (s.srcport() == 9003 && s.has(ACK) && first != null) {
                Instant sent = sentAt.remove(s.ack());
                if (sent != null) {
                    double ms = Duration.between(sent, s.time()).toNanos() / 1e6;
                    min = Math.min(min, ms);
                    max = Math.max(max, ms);
                }
                last = s.time();
                lastAck = s.ack();
            }
        }
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        return new double[] {((lastAck - firstSeq) & 0xffffffffL) * 8 / seconds / 1e6, min, max};
    }

    private static SelfCheck checkBottleneck(Outcome o) {
        double[] st = bottleneckStats(o);
        return SelfCheck.of("the server received every byte", "1500000 in-order", o.fact("server received"))
                .and("the bottleneck dropped packets at its queue's tail (tc: dropped > 0)",
                        !o.fact("tc -s qdisc show dev rs").matches("(?s).*dropped 0,.*"))
                .and(String.format(java.util.Locale.ROOT, "throughput is bounded by the link: %.2f Mbit/s on average, at most 10 (+2 %% for TBF's first burst)", st[0]),
                        st[0] <= 10.2)
                .and(String.format(java.util.Locale.ROOT, "RTT grows with the queue: from %.2f ms to %.1f ms, more than tenfold", st[1], st[2]),
                        st[2] > 10 * st[1]);
    }

    private static SelfCheck checkHttp2Stall(Outcome o) {
        Stall st = stall(o);
        List<String> lostFrames = st.frames(st.lost()).stream().map(f -> "s=" + f.stream() + " " + f.what().split(" ")[0]).toList();
        List<Outcome.Segment> b = st.carrying(3);
        ClientEvent readA = st.firstData(1);
        ClientEvent readB = st.firstData(3);
        double gap = ms(st.lost().time(), st.again().time());
        boolean synOffersSack = o.capture("router-rc").packets().stream().anyMatch(d -> d.field("tcp.dstport").map(f -> true).orElse(false)
                && d.value("tcp.dstport").equals(String.valueOf(H2_PORT)) && (Integer.decode(d.value("tcp.flags")) & (SYN | ACK)) == SYN
                && d.field("tcp.options.sack_perm").isPresent());
        SelfCheck c = SelfCheck.of("the client's SYN offers no SACK (no tcp.options.sack_perm)", !synOffersSack)
                .and("the router dropped one segment (nftables counter)", "1 packets", o.fact("nftables counter").replaceAll(" \\(.*", ""))
                .and("the lost segment carried stream 1's DATA and no byte of stream 3 (" + String.join(", ", lostFrames) + ")",
                        lostFrames.contains("s=1 DATA") && lostFrames.stream().noneMatch(f -> f.startsWith("s=3")))
                .and("stream 3's DATA crossed the router toward the client after the loss and before the retransmission ("
                        + b.size() + " segment(s), not lost)", !b.isEmpty() && b.stream().allMatch(s -> st.offset(s) > st.offset(st.lost())));
        var retrans = o.tshark("router-rs", "tcp.analysis.retransmission && tcp.srcport == " + H2_PORT);
        if (retrans.isEmpty()) {
            c.andNotChecked("tshark flags the server's second copy as a retransmission",
                    "tshark is not installed here; install tshark (Wireshark's CLI) and run again");
        } else {
            c.and("tshark flags the server's second copy as a retransmission (tcp.analysis.retransmission on rs)", 1, retrans.get().size());
        }
        return c.and(String.format(java.util.Locale.ROOT, "the server resent it %.1f ms after the first copy, on its retransmission timer (RTO; RFC 6298 asks for at least 1 s, Linux's default floor is 200 ms):"
                        + " %d ACK(s) from the client in between, fewer than the 3 duplicate ACKs of a fast retransmit", gap, st.dupAcks().size()),
                        gap >= 150 && st.dupAcks().size() < 3)
                .and(String.format(java.util.Locale.ROOT, "the client application read stream 3's DATA only after the retransmission crossed the router"
                        + " (%.1f ms after stream 3's segment had): one loss stalled both streams", b.isEmpty() ? 0.0 : ms(b.get(0).time(), readB.time())),
                        !readB.time().isBefore(st.resent().time()) && !readA.time().isBefore(st.resent().time()));
    }

    // ---------------------------------------------------------------- recording

    /**
     * Records every experiment into {@code args[1]} (the folder {@link Outcome#recorded} reads), or
     * only those named after it: {@code RealNetwork --record kernel-ext/src/main/resources/org/wirelab/netns/recorded
     * [http2-stall ...]}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].equals("--record")) {
            System.err.println("usage: java -cp kernel-ext.jar org.wirelab.netns.RealNetwork --record DIR [EXPERIMENT...]");
            System.exit(2);
        }
        if (!Network.available().yes()) {
            System.err.println("cannot record here: " + Network.available().reason());
            System.exit(1);
        }
        Path dir = Path.of(args[1]);
        Set<String> only = new TreeSet<>(List.of(args).subList(2, args.length));
        Map<String, java.util.function.Supplier<Outcome>> all = new LinkedHashMap<>();
        all.put("segments", RealNetwork::segments);
        all.put("loss", RealNetwork::loss);
        all.put("syn-flood", RealNetwork::synFlood);
        all.put("simultaneous-close", RealNetwork::simultaneousClose);
        all.put("nat", RealNetwork::nat);
        all.put("bottleneck", RealNetwork::bottleneck);
        all.put("http2-stall", RealNetwork::http2Stall);
        if (!all.keySet().containsAll(only)) {
            System.err.println("no experiment " + only + "; there are " + all.keySet());
            System.exit(2);
        }
        for (var e : all.entrySet()) {
            if (!only.isEmpty() && !only.contains(e.getKey())) {
                continue;
            }
            Outcome o = e.getValue().get();
            System.out.println(o);
            System.out.println(check(o));
            o.save(dir);
        }
        System.exit(0);
    }
}

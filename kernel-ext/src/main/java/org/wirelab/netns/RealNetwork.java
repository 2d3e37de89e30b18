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
 * The experiments of notebook 09, each on a fresh {@link Network} that is torn down when it ends:
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
                    + " (about 5 % of the client's data packets; not netem, which this kernel lacks)");
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
                    + " (queueing delay; no netem here)");
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
        return SelfCheck.of("conntrack tracked two connections at first", 2L, o.fact("conntrack at 0 s").lines().count())
                .and("after 3.5 s idle, conntrack holds one entry", 1L, after.lines().filter(l -> l.contains("ESTABLISHED")).count())
                .and("it is the connection with keepalive", after.contains("sport=" + port(o.fact("client 'kept'")) + " "))
                .and("the client never gets the bytes sent on the forgotten connection", o.fact("client reads 'quiet'").startsWith("0 bytes"))
                .and("the router answers the forgotten connection with a RST (" + rstFromRouter + " on the wire)", rstFromRouter > 0)
                .and("the client gets the bytes sent on the kept connection", "100 bytes", o.fact("client reads 'kept'"));
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

    // ---------------------------------------------------------------- recording

    /**
     * Records every experiment into {@code args[1]} (the folder {@link Outcome#recorded} reads):
     * {@code RealNetwork --record kernel-ext/src/main/resources/org/wirelab/netns/recorded}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--record")) {
            System.err.println("usage: java -cp kernel-ext.jar org.wirelab.netns.RealNetwork --record DIR");
            System.exit(2);
        }
        if (!Network.available().yes()) {
            System.err.println("cannot record here: " + Network.available().reason());
            System.exit(1);
        }
        Path dir = Path.of(args[1]);
        for (var e : List.<java.util.function.Supplier<Outcome>>of(RealNetwork::segments, RealNetwork::loss,
                RealNetwork::synFlood, RealNetwork::simultaneousClose, RealNetwork::nat, RealNetwork::bottleneck)) {
            Outcome o = e.get();
            System.out.println(o);
            System.out.println(check(o));
            o.save(dir);
        }
        System.exit(0);
    }
}

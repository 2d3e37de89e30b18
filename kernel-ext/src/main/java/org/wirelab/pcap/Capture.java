package org.wirelab.pcap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.wire.PcapReader;
import org.wirelab.wire.Printable;
import org.wirelab.wire.TcpFlags;

/**
 * A live capture of loopback ports by {@code dumpcap} (preferred) or {@code tcpdump} running as a
 * child process, written as a classic pcap file (LINKTYPE_ETHERNET, as Linux's {@code lo} gives),
 * or a recorded capture shipped with wirelab when live capture is not allowed.
 *
 * <p>The capture filter for ports 8080 and 8081 is
 * {@code tcp port 8080 or udp port 8080 or tcp port 8081 or udp port 8081}. {@link #start} returns
 * once the capturer reports on stderr that it is capturing ({@code Capturing on 'Loopback: lo'} or
 * {@code listening on lo}), so the first SYN sent afterwards is in the file.
 *
 * <p>Two measured races are closed with probe datagrams: dumpcap prints "Capturing on" before
 * its filter is attached (an exchange started right after it was missed, whole or in part), and it
 * reads the kernel's packet ring in batches released by a 250 ms timeout, dropping a pending batch
 * on SIGTERM (packets of the last 100 ms were lost). So the capturer writes the pcap to a pipe, the
 * filter also takes UDP to a private probe port on 127.0.0.1, and {@link #start} and {@link #stop()}
 * send probes every {@value #PROBE_EVERY_MILLIS} ms until one comes through: everything sent
 * before it has then been handed over. Probe records are left out of the file.
 *
 * <pre>{@code
 * var cap = Capture.available().yes() ? Capture.start(8080) : Capture.recorded("tcp-handshake");
 * HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/")).build(),
 *         HttpResponse.BodyHandlers.ofString());
 * cap.stop();
 * cap                                     // one line per packet
 * }</pre>
 */
public final class Capture implements org.wirelab.lifecycle.Activity, Rich {

    private static final int PROBE_EVERY_MILLIS = 50;
    private static final int PREVIEW = 32;
    private static final String RECORDED = "/org/wirelab/pcap/recorded/";

    private final Path file;
    private final String source;
    private final Process process;
    private final DatagramSocket probe;
    private final List<Thread> threads = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Object progress = new Object();
    private int probesSent;
    private int probesSeen;
    private boolean copyDone;
    private boolean stopped;

    private Capture(Path file, String source, Process process, DatagramSocket probe) {
        this.file = file;
        this.source = source;
        this.process = process;
        this.probe = probe;
        this.stopped = process == null;
    }

    /**
     * Whether live capture works here, with the reason in one line when not, e.g.
     * {@code yes: dumpcap can capture on lo} or {@code no: neither dumpcap nor tcpdump is on PATH}.
     */
    public static Availability available() {
        return Availability.probe();
    }

    /**
     * Starts capturing TCP and UDP on the loopback {@code ports}, e.g. {@code start(8080)}, and waits
     * (at most {@link Lifecycle#timeout()}) until the capturer says it is capturing and a probe
     * datagram sent after that has come through.
     */
    public static Capture start(int... ports) {
        if (ports.length == 0) {
            throw new IllegalArgumentException("give at least one port to capture, e.g. Capture.start(8080)");
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a TCP/UDP port: " + port + " (1..65535)");
            }
        }
        Availability availability = available();
        if (!availability.yes()) {
            throw new IllegalStateException("live capture is not available: " + availability.reason()
                    + "; use Capture.recorded(\"tcp-handshake\")");
        }
        Path file;
        DatagramSocket probe;
        try {
            file = Files.createTempFile("wirelab-capture-", ".pcap");
            file.toFile().deleteOnExit(); // a temp file: removed when the kernel stops
            probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the capture: " + e.getMessage(), e);
        }
        String filter = "(" + filter(ports) + ") or (udp port " + probe.getLocalPort() + ")";
        String tool = availability.tool();
        List<String> cmd = tool.endsWith("dumpcap")
                ? List.of(tool, "-q", "-P", "-i", "lo", "-s", "262144", "-f", filter, "-w", "-")
                : List.of(tool, "-n", "-U", "--immediate-mode", "-i", "lo", "-s", "262144", "-w", "-", filter);
        Process process;
        try {
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            probe.close();
            throw new UncheckedIOException("cannot start " + tool + ": " + e.getMessage(), e);
        }
        Capture capture = new Capture(file, Path.of(tool).getFileName() + " -i lo -f '" + filter(ports) + "'",
                process, probe);
        CountDownLatch capturing = new CountDownLatch(1);
        capture.threads.add(daemon("wirelab-capture-stderr", () -> capture.readStderr(process.getErrorStream(), capturing)));
        capture.threads.add(daemon("wirelab-capture-pcap", () -> capture.copyPcap(process.getInputStream())));
        long deadline = System.nanoTime() + Lifecycle.timeout().toNanos();
        try {
            boolean said = capturing.await(Lifecycle.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!said || !capture.probeThrough(deadline)) {
                String err = capture.stderr().strip();
                capture.kill();
                throw new IllegalStateException(Path.of(tool).getFileName() + " did not start capturing within "
                        + Lifecycle.timeout().toMillis() + " ms" + (err.isEmpty() ? "" : ": " + err));
            }
        } catch (InterruptedException e) {
            capture.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + tool + " to start", e);
        }
        return Lifecycle.track("capture", capture);
    }

    /**
     * A capture recorded earlier and shipped with wirelab, {@code recorded("tcp-handshake")} or
     * {@code recorded("tcp-fast-open")} (a SYN carrying an HTTP request, RFC 7413): the classpath
     * resource {@code /org/wirelab/pcap/recorded/<name>.pcap}, made by {@link RecordCaptures}.
     */
    public static Capture recorded(String name) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("not a recorded capture name: '" + name + "' (e.g. tcp-handshake)");
        }
        String resource = RECORDED + name + ".pcap";
        try (InputStream in = Capture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded capture '" + name + "' (classpath resource "
                        + resource + "); shipped: tcp-handshake, tcp-fast-open");
            }
            Path file = Files.createTempFile("wirelab-" + name + "-", ".pcap");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return new Capture(file, "recorded capture " + name + ", not this run's traffic; recorded by `"
                    + recordedBy(name) + "` (see notebooks/captures.md)", null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recorded capture " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The command that recorded a shipped capture, as notebooks/captures.md gives it. */
    static String recordedBy(String name) {
        String jar = "java -cp kernel-ext/target/kernel-ext.jar org.wirelab.pcap.RecordCaptures ";
        return name.equals("tcp-fast-open") ? "sudo " + jar + "--tcp-fast-open DIR" : jar + "DIR";
    }

    /** Whether this is a shipped recording rather than a live capture of this run. */
    public boolean recorded() {
        return process == null;
    }

    /** The capture filter for {@code ports}, e.g. {@code tcp port 8080 or udp port 8080}. */
    static String filter(int... ports) {
        return Arrays.stream(ports).mapToObj(p -> "tcp port " + p + " or udp port " + p)
                .collect(Collectors.joining(" or "));
    }

    /**
     * Stops the capturer once a last probe datagram shows every earlier packet was handed over, then
     * waits for it to exit (each wait at most {@link Lifecycle#timeout()}) and returns the pcap
     * file, which is kept until the kernel stops (copy it to keep it); a second call just returns the file.
     */
    public Path stop() {
        synchronized (this) {
            if (stopped) {
                return file;
            }
            stopped = true;
        }
        boolean drained = probeThrough(System.nanoTime() + Lifecycle.timeout().toNanos());
        process.destroy();
        try {
            if (!process.waitFor(Lifecycle.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(Lifecycle.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            for (Thread t : threads) {
                t.join(Lifecycle.timeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            probe.close();
            Lifecycle.untrack(this);
        }
        if (!drained) {
            System.err.println("wirelab: the capturer did not confirm the last packets within "
                    + Lifecycle.timeout().toMillis() + " ms; the capture may miss its end");
        }
        return file;
    }

    /** The pcap file, e.g. {@code /tmp/wirelab-capture-123.pcap}; complete only after {@link #stop()}. */
    public Path path() {
        return file;
    }

    /** The whole pcap file as bytes (stops a running capture first). */
    public byte[] bytes() {
        stop();
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every packet dissected field by field, link layer to HTTP/WebSocket, with the TCP streams
     * reassembled (stops a running capture first), e.g. {@code cap.dissect().diagram()}.
     */
    public org.wirelab.dissect.PacketCapture dissect() {
        stop();
        var packets = org.wirelab.dissect.Dissect.pcap(file);
        return recorded() ? packets.labelled(source) : packets;
    }

    /**
     * One line per packet (stops a running capture first), e.g.
     * {@code 1  0.000000  127.0.0.1:51234 → 127.0.0.1:8080  [SYN] seq_raw=1740338210 win=65495 len=0}.
     */
    public List<String> summaries() {
        stop();
        return PcapListing.packets(PcapReader.open(file)).stream().map(PcapListing.Packet::line).toList();
    }

    /**
     * The listing lines that {@code keep} accepts, under the header line that says where the packets
     * came from (this run's live capture, or a shipped recording and the command that made it), e.g.
     * {@code cap.listing(line -> line.contains("[SYN]"))} (stops a running capture first).
     */
    public String listing(java.util.function.Predicate<String> keep) {
        List<String> all = summaries();
        List<String> kept = all.stream().filter(keep).toList();
        return header(kept.size() + " of " + all.size() + " packets") + "\n" + String.join("\n", kept);
    }

    /**
     * The listing from the first line that {@code first} accepts to the end, under the same header as
     * {@link #listing}, e.g. the close: {@code cap.listingFrom(line -> line.contains("FIN"))}.
     */
    public String listingFrom(java.util.function.Predicate<String> first) {
        List<String> all = summaries();
        List<String> kept = all.stream().dropWhile(first.negate()).toList();
        return header("the last " + kept.size() + " of " + all.size() + " packets") + "\n" + String.join("\n", kept);
    }

    private String header(String count) {
        return file.getFileName() + " (" + source + "): " + count;
    }

    /**
     * The SYN segments that carry data (TCP Fast Open, RFC 7413; RFC 9293 §3.5 allows data on a
     * SYN), one listing line each followed by the first 32 bytes of the data, e.g.
     * {@code 11  0.059288  127.0.0.1:35774 → 127.0.0.1:8080  [SYN] seq_raw=2065992560 win=65495 len=79 TFO=C  "GET /2 HTTP/1.1\r\nHost: 127.0.0.1"…}
     * in {@code recorded("tcp-fast-open")}; empty for plain handshakes (stops a running capture first).
     *
     * <pre>{@code
     * Capture.recorded("tcp-fast-open").synsWithData()
     * }</pre>
     */
    public List<String> synsWithData() {
        stop();
        return PcapListing.packets(PcapReader.open(file)).stream()
                .filter(p -> (p.tcpFlags() & TcpFlags.SYN) != 0 && p.payload().length > 0)
                .map(p -> p.line() + "  " + preview(p.payload()))
                .toList();
    }

    // The first PREVIEW bytes in quotes by the one escape rule, "…" after the quote when bytes were left out.
    static String preview(byte[] data) {
        return Printable.quoted(data, PREVIEW);
    }

    /** Whether the capturer is still running; {@code false} for a recorded capture. */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Same as {@link #running()}: a live capture goes on until stopped. */
    @Override
    public boolean active() {
        return running();
    }

    /** Stops the capturer and waits for it to exit; the file stays. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        String text = toString();
        return MimeBundle.text(text).html("<pre class=\"wl-capture\">" + Html.escape(text) + "</pre>").build();
    }

    /**
     * The packet listing under a header line naming the file and where it came from; a running
     * capture only says so (showing it does not stop it).
     */
    @Override
    public String toString() {
        synchronized (this) {
            if (!stopped) {
                return "capturing: " + source + " (running; stop() to see the packets)";
            }
        }
        List<String> lines = summaries();
        return header(lines.size() + " packets") + "\n" + String.join("\n", lines);
    }

    static List<String> recordedListing(Path pcap) throws IOException {
        return PcapListing.packets(PcapReader.open(pcap)).stream().map(PcapListing.Packet::line).toList();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // Sends a probe every PROBE_EVERY_MILLIS until the pcap copier has seen it or the deadline passes.
    private boolean probeThrough(long deadline) {
        int wanted;
        synchronized (progress) {
            wanted = ++probesSent;
        }
        byte[] payload = ("wirelab-probe " + wanted).getBytes(StandardCharsets.US_ASCII);
        try {
            while (System.nanoTime() < deadline) {
                probe.send(new DatagramPacket(payload, payload.length, probe.getLocalSocketAddress()));
                long until = Math.min(deadline, System.nanoTime() + PROBE_EVERY_MILLIS * 1_000_000L);
                synchronized (progress) {
                    while (probesSeen < wanted && !copyDone) {
                        long left = until - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        progress.wait(left / 1_000_000L + 1);
                    }
                    if (probesSeen >= wanted) {
                        return true;
                    }
                    if (copyDone) {
                        return false;
                    }
                }
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    // Copies the capturer's pcap stream into the file record by record, leaving the probes out.
    private void copyPcap(InputStream in) {
        try (PcapReader pcap = PcapReader.of(new java.io.BufferedInputStream(in));
                OutputStream out = Files.newOutputStream(file)) {
            if (pcap.format().equals("unknown")) {
                return;
            }
            PcapWriter writer = PcapWriter.copying(out, pcap.linkType());
            while (pcap.hasNext()) {
                PcapReader.Record r = pcap.next();
                int seen = probeNumber(r.data(), r.linkType());
                if (seen > 0) {
                    synchronized (progress) {
                        probesSeen = Math.max(probesSeen, seen);
                        progress.notifyAll();
                    }
                    continue;
                }
                writer.copy(r);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the pipe closes when the capturer exits
        } finally {
            synchronized (progress) {
                copyDone = true;
                progress.notifyAll();
            }
        }
    }

    // The probe's number when this Ethernet frame is a UDP probe to our port on 127.0.0.1, else 0.
    private int probeNumber(byte[] f, int linkType) {
        int ip = linkType == 1 ? 14 : linkType == 0 ? 4 : 0;
        if (f.length < ip + 28 || (f[ip] & 0xf0) != 0x40 || f[ip + 9] != 17) {
            return 0;
        }
        int l4 = ip + (f[ip] & 0x0f) * 4;
        int port = probe.getLocalPort();
        if (f.length < l4 + 8 || ((f[l4 + 2] & 0xff) << 8 | (f[l4 + 3] & 0xff)) != port
                || ((f[l4] & 0xff) << 8 | (f[l4 + 1] & 0xff)) != port) {
            return 0;
        }
        String text = new String(f, l4 + 8, f.length - l4 - 8, StandardCharsets.US_ASCII);
        if (!text.startsWith("wirelab-probe ")) {
            return 0;
        }
        try {
            return Integer.parseInt(text.substring("wirelab-probe ".length()).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void readStderr(InputStream in, CountDownLatch capturing) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderr) {
                    if (stderr.length() < 4096) {
                        stderr.append(line).append('\n');
                    }
                }
                if (line.startsWith("Capturing on") || line.contains("listening on")) {
                    capturing.countDown();
                }
            }
        } catch (IOException e) {
            // the stream closes when the capturer exits
        }
    }

    private String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private void kill() {
        stopped = true;
        probe.close();
        process.destroyForcibly();
        try {
            process.waitFor(Lifecycle.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether live capture works, found by a trial ({@code dumpcap -L -i lo} opens the interface as
     * a capture would, as does {@code tcpdump -L -i lo}, so a user without CAP_NET_RAW is refused there).
     *
     * @param yes    {@code true} when {@link Capture#start} can be used
     * @param tool   the capturer's path, e.g. {@code /usr/bin/dumpcap}; empty when none works
     * @param reason one line, e.g. {@code dumpcap: You don't have permission to capture on that device}
     */
    public record Availability(boolean yes, String tool, String reason) implements Rich, org.wirelab.display.Precondition {

        private static volatile Availability cached;

        static Availability probe() {
            Availability a = cached;
            if (a == null) {
                a = trial();
                cached = a;
            }
            return a;
        }

        private static Availability trial() {
            List<String> why = new ArrayList<>();
            for (String name : List.of("dumpcap", "tcpdump")) {
                Optional<Path> path = onPath(name);
                if (path.isEmpty()) {
                    why.add(name + " is not on PATH");
                    continue;
                }
                List<String> cmd = List.of(path.get().toString(), "-L", "-i", "lo");
                try {
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                    byte[] out = p.getInputStream().readAllBytes();
                    boolean done = p.waitFor(Lifecycle.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    if (done && p.exitValue() == 0) {
                        return new Availability(true, path.get().toString(), name + " can capture on lo");
                    }
                    p.destroyForcibly();
                    String first = new String(out, StandardCharsets.UTF_8).lines()
                            .filter(l -> !l.isBlank() && !l.startsWith("Running as user"))
                            .findFirst().orElse("exit " + (done ? p.exitValue() : "timeout"));
                    first = first.strip();
                    why.add(first.startsWith(name + ":") ? first : name + ": " + first);
                } catch (IOException e) {
                    why.add(name + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    why.add(name + ": interrupted");
                }
            }
            if (why.size() == 2 && why.stream().allMatch(w -> w.endsWith("is not on PATH"))) {
                return new Availability(false, "", "neither dumpcap nor tcpdump is on PATH");
            }
            return new Availability(false, "", String.join("; ", why));
        }

        private static Optional<Path> onPath(String program) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }

        /** How a reader gets live capture, for claims that need it (see notebooks/captures.md). */
        @Override
        public String remedy() {
            return "live packet capture needs CAP_NET_RAW: run JupyterLab as root, or give dumpcap the capability "
                    + "(sudo setcap cap_net_raw,cap_net_admin+eip $(command -v dumpcap)); see notebooks/captures.md";
        }

        /** {@code yes: dumpcap can capture on lo} or {@code no: <reason>}. */
        @Override
        public String toString() {
            return (yes ? "yes: " : "no: ") + reason;
        }

        @Override
        public Map<String, Object> mimeBundle() {
            return MimeBundle.text(toString()).build();
        }
    }
}

package org.wirelab.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.PacketCapture;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * What one experiment on a {@link Network} produced: how it ran (live, or recorded and by which
 * command), the mechanism behind each link condition, what the peers and the kernel reported
 * (facts, in order) and the captures taken on the router. A recorded outcome is the same data
 * saved by {@link #save(Path)} and shipped as classpath resources.
 */
public final class Outcome implements Rich {

    /** The command that records the shipped outcomes. */
    public static final String RECORD_COMMAND =
            "java -cp kernel-ext/target/kernel-ext.jar org.wirelab.netns.RealNetwork --record kernel-ext/src/main/resources/org/wirelab/netns/recorded";

    private static final String RESOURCES = "/org/wirelab/netns/recorded/";

    private final String name;
    private final String how;
    private final List<String> mechanisms;
    private final Map<String, String> facts;
    private final Map<String, byte[]> pcaps;

    Outcome(String name, String how, List<String> mechanisms, Map<String, String> facts, Map<String, byte[]> pcaps) {
        this.name = name;
        this.how = how;
        this.mechanisms = List.copyOf(mechanisms);
        this.facts = new LinkedHashMap<>(facts);
        this.pcaps = new LinkedHashMap<>(pcaps);
    }

    /** {@code segments}, {@code loss}, {@code syn-flood}, {@code simultaneous-close}, {@code nat}, {@code http2-stall}, ... */
    public String name() {
        return name;
    }

    /** {@code live: ...} or {@code recorded on ... with: <command>}. */
    public String how() {
        return how;
    }

    /** Whether this ran here and now, in namespaces on this machine. */
    public boolean live() {
        return how.startsWith("live");
    }

    /** One line per link condition, naming the mechanism that produced it. */
    public List<String> mechanisms() {
        return mechanisms;
    }

    /** Everything observed, in order, e.g. {@code writes → 1 3000 20000 10 10 10}. */
    public Map<String, String> facts() {
        return facts;
    }

    /** One fact, e.g. {@code fact("writes")}; throws naming the facts there are. */
    public String fact(String key) {
        String v = facts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no fact '" + key + "' in " + name + "; there are " + facts.keySet());
        }
        return v;
    }

    /** The capture names, e.g. {@code [router-rc, router-rs]}. */
    public List<String> captures() {
        return List.copyOf(pcaps.keySet());
    }

    /** A capture dissected, e.g. {@code capture("router-rc")} (the router's client-side interface). */
    public PacketCapture capture(String capture) {
        return Dissect.pcap(pcap(capture));
    }

    /** The pcap file's bytes. */
    public byte[] pcap(String capture) {
        byte[] b = pcaps.get(capture);
        if (b == null) {
            throw new IllegalArgumentException("no capture '" + capture + "' in " + name + "; there are " + pcaps.keySet());
        }
        return b.clone();
    }

    /** The TCP segments of a capture, one per packet, in capture order. */
    public List<Segment> segments(String capture) {
        PacketCapture pc = capture(capture);
        List<Segment> out = new ArrayList<>();
        List<Dissection> packets = pc.packets();
        for (int i = 0; i < packets.size(); i++) {
            Dissection d = packets.get(i);
            if (d.field("tcp.srcport").isEmpty()) {
                continue;
            }
            // tcp.len from the headers, so that a capture cut short (dumpcap -s) still counts every byte
            int len = Integer.parseInt(d.value("ip.len")) - Integer.parseInt(d.value("ip.hdr_len"))
                    - Integer.parseInt(d.value("tcp.hdr_len"));
            int frame = i + 1;
            java.time.Instant t = pc.time(frame).orElseThrow(() -> new IllegalStateException("capture " + capture + ": frame " + frame
                    + " has no capture time (a pcapng Simple Packet Block); dumpcap writes Enhanced Packet Blocks"));
            out.add(new Segment(frame, t, d.value("ip.src"), Integer.parseInt(d.value("tcp.srcport")), d.value("ip.dst"),
                    Integer.parseInt(d.value("tcp.dstport")), Integer.decode(d.value("tcp.flags")),
                    Long.parseLong(d.value("tcp.seq_raw")), Long.parseLong(d.value("tcp.ack_raw")), len));
        }
        return out;
    }

    /**
     * One TCP segment as captured: frame number, time, addresses, flags (tcp.flags), raw sequence
     * and acknowledgment numbers, payload length (tcp.len).
     */
    public record Segment(int frame, java.time.Instant time, String src, int srcport, String dst, int dstport,
                          int flags, long seq, long ack, int len) {

        /** Whether tcp.flags has {@code bit}, e.g. {@code has(0x01)} for FIN. */
        public boolean has(int bit) {
            return (flags & bit) != 0;
        }

        /** The flags as Wireshark writes them, e.g. {@code FIN, ACK}. */
        public String flagNames() {
            List<String> n = new ArrayList<>();
            String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
            for (int b = 0; b < names.length; b++) {
                if ((flags & (1 << b)) != 0) {
                    n.add(names[b]);
                }
            }
            return String.join(", ", n);
        }

        @Override
        public String toString() {
            return "#" + frame + " " + src + ":" + srcport + " → " + dst + ":" + dstport + " [" + flagNames() + "] seq_raw="
                    + seq + " ack_raw=" + ack + " len=" + len;
        }
    }

    /**
     * The frames tshark's display filter picks, e.g. {@code tshark("router-rc",
     * "tcp.analysis.retransmission")}, as {@code frame.number} lines; empty when tshark is not
     * installed (say so: a missing tool is not a pass).
     */
    public Optional<List<String>> tshark(String capture, String filter) {
        if (Network.Availability.which("tshark") == null) {
            return Optional.empty();
        }
        try {
            Path file = Files.createTempFile("wirelab-" + name + "-", ".pcap");
            try {
                Files.write(file, pcap(capture));
                Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-Y", filter, "-T", "fields",
                        "-e", "frame.number", "-e", "frame.time_relative", "-e", "_ws.col.Info").redirectErrorStream(false).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("tshark failed on " + capture + ": "
                            + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                return Optional.of(new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run tshark: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while tshark read " + capture, e);
        }
    }

    /** Writes this outcome to {@code dir/<name>/}: {@code facts.txt} and one pcap per capture. */
    public void save(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        StringBuilder text = new StringBuilder();
        text.append("how\t").append(escape(how)).append('\n');
        for (String m : mechanisms) {
            text.append("mechanism\t").append(escape(m)).append('\n');
        }
        for (Map.Entry<String, String> f : facts.entrySet()) {
            text.append("fact\t").append(escape(f.getKey())).append('\t').append(escape(f.getValue())).append('\n');
        }
        text.append("captures\t").append(String.join(" ", pcaps.keySet())).append('\n');
        Files.writeString(d.resolve("facts.txt"), text);
        for (Map.Entry<String, byte[]> p : pcaps.entrySet()) {
            Files.write(d.resolve(p.getKey() + ".pcap"), p.getValue());
        }
    }

    /** The outcome shipped under {@code name}, labelled as recorded with the command that recorded it. */
    public static Outcome recorded(String name) {
        String how = null;
        List<String> mechanisms = new ArrayList<>();
        Map<String, String> facts = new LinkedHashMap<>();
        Map<String, byte[]> pcaps = new LinkedHashMap<>();
        String text = new String(resource(name + "/facts.txt"), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "how" -> how = unescape(f[1]);
                case "mechanism" -> mechanisms.add(unescape(f[1]));
                case "fact" -> facts.put(unescape(f[1]), unescape(f[2]));
                case "captures" -> {
                    for (String c : f[1].split(" ")) {
                        if (!c.isEmpty()) {
                            pcaps.put(c, resource(name + "/" + c + ".pcap"));
                        }
                    }
                }
                default -> {
                }
            }
        }
        String recordedHow = "recorded (" + how + ") with: " + RECORD_COMMAND;
        return new Outcome(name, recordedHow, mechanisms, facts, pcaps);
    }

    private static byte[] resource(String path) {
        try (InputStream in = Outcome.class.getResourceAsStream(RESOURCES + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded outcome resource " + RESOURCES + path);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name + " — " + how + "\n");
        for (String m : mechanisms) {
            out.append("  mechanism: ").append(m).append('\n');
        }
        for (Map.Entry<String, String> f : facts.entrySet()) {
            String v = f.getValue();
            out.append("  ").append(f.getKey()).append(v.contains("\n") ? ":\n    " + v.strip().replace("\n", "\n    ") : " → " + v)
                    .append('\n');
        }
        out.append("  captures: ").append(String.join(", ", pcaps.keySet()));
        return out.toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<div class=\"wl-netns-outcome\"><p><b>").append(Html.escape(name))
                .append("</b> — <i>").append(Html.escape(how)).append("</i></p>");
        if (!mechanisms.isEmpty()) {
            html.append("<ul>");
            for (String m : mechanisms) {
                html.append("<li>mechanism: ").append(Html.escape(m)).append("</li>");
            }
            html.append("</ul>");
        }
        html.append("<table class=\"wl-table\"><tbody>");
        for (Map.Entry<String, String> f : facts.entrySet()) {
            html.append("<tr><td>").append(Html.escape(f.getKey())).append("</td><td><pre>")
                    .append(Html.escape(f.getValue().strip())).append("</pre></td></tr>");
        }
        html.append("</tbody></table><p>captures: ").append(Html.escape(String.join(", ", pcaps.keySet())))
                .append("</p></div>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }
}

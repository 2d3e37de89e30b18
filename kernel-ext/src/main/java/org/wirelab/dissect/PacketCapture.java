package org.wirelab.dissect;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * A capture file read packet by packet (link layer to TCP/UDP) with every TCP direction
 * reassembled and dissected as HTTP / WebSocket.
 *
 * <pre>
 *   Dissect.pcap(Path.of("http.pcap")).packets().get(0).value("tcp.flags.syn")   // "1"
 * </pre>
 */
public final class PacketCapture implements Rich {

    private final String format;
    private final List<Dissection> packets;
    private final List<String> summaries;
    private final List<TcpStream> streams;
    private final List<Problem> problems;
    private final List<java.time.Instant> times;
    private String label;

    private PacketCapture(String format, List<Dissection> packets, List<String> summaries, List<TcpStream> streams,
                          List<Problem> problems, List<java.time.Instant> times) {
        this.times = java.util.Collections.unmodifiableList(new ArrayList<>(times));
        this.format = format;
        this.packets = List.copyOf(packets);
        this.summaries = List.copyOf(summaries);
        this.streams = List.copyOf(streams);
        this.problems = List.copyOf(problems);
    }

    /**
     * The same packets, shown under {@code label}: where they came from when it is not this run's
     * own live capture, e.g. {@code "recorded capture tcp-handshake, not this run's traffic"} or
     * {@code "synthesized from a tap's recording: real payload, rebuilt headers"}. The label heads the
     * listing and the diagram.
     */
    public PacketCapture labelled(String label) {
        PacketCapture copy = new PacketCapture(format, packets, summaries, streams, problems, times);
        copy.label = java.util.Objects.requireNonNull(label, "label");
        return copy;
    }

    /** Where the packets came from, when they are not a live capture of this run; empty otherwise. */
    public java.util.Optional<String> label() {
        return java.util.Optional.ofNullable(label);
    }

    /** The file format, e.g. {@code "pcapng"} or {@code "pcap little endian, microseconds"}. */
    public String format() {
        return format;
    }

    /** One dissection per packet, in file order; offsets count from the packet's first byte. */
    public List<Dissection> packets() {
        return packets;
    }

    /**
     * When each packet was captured, in file order (frame.time); {@code null} for a pcapng Simple
     * Packet Block, which carries no time.
     */
    public List<java.time.Instant> times() {
        return times;
    }

    /**
     * The TCP segments as a sequence diagram between the endpoints, each arrow labelled with the
     * flags and the raw sequence and acknowledgment numbers, e.g.
     * {@code "SYN seq_raw=3517288269 len=0"}, {@code "SYN, ACK seq_raw=1029384756 ack_raw=3517288270 len=0"}.
     */
    public org.wirelab.diagram.SequenceDiagram diagram() {
        var builder = org.wirelab.diagram.SequenceDiagram.newBuilder();
        java.time.Instant last = java.time.Instant.EPOCH;
        for (int i = 0; i < packets.size(); i++) {
            Dissection p = packets.get(i);
            if (p.field("tcp.srcport").isEmpty()) {
                continue;
            }
            String src = endpoint(p, "src", "tcp.srcport");
            String dst = endpoint(p, "dst", "tcp.dstport");
            java.time.Instant t = times.get(i) == null ? last : times.get(i);
            last = t;
            builder.message(src, dst, segmentLabel(p), t, "frame " + (i + 1));
            if (label != null && i == 0) {
                builder.note(label);
            }
        }
        return builder.build();
    }

    static String segmentLabel(Dissection p) {
        List<String> flags = new ArrayList<>();
        for (String[] f : new String[][] {{"tcp.flags.syn", "SYN"}, {"tcp.flags.fin", "FIN"}, {"tcp.flags.reset", "RST"},
                {"tcp.flags.push", "PSH"}, {"tcp.flags.ack", "ACK"}}) {
            if (p.field(f[0]).map(Field::value).orElse("0").equals("1")) {
                flags.add(f[1]);
            }
        }
        StringBuilder label = new StringBuilder(String.join(", ", flags));
        label.append(" seq_raw=").append(p.value("tcp.seq_raw"));
        if (flags.contains("ACK")) {
            label.append(" ack_raw=").append(p.value("tcp.ack_raw"));
        }
        int len = p.field("tcp.payload").map(Field::length).orElse(0);
        label.append(" len=").append(len);
        return label.toString();
    }

    private static String endpoint(Dissection p, String side, String port) {
        String ip = p.field("ip." + side).or(() -> p.field("ipv6." + side)).map(Field::value).orElse("?");
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p.value(port);
    }

    /** One-line summary of each packet as in the text listing, e.g. {@code "127.0.0.1:55062 -> 127.0.0.1:41841 [SYN] seq=0"}. */
    public List<String> summaries() {
        return summaries;
    }

    /** Each TCP direction that carried payload, in order of its first packet. */
    public List<TcpStream> streams() {
        return streams;
    }

    /** Problems of the file itself (offsets into the file), e.g. a truncated last record. */
    public List<Problem> problems() {
        return problems;
    }

    /** One line per packet: number, length and a summary, e.g. {@code "1  74  127.0.0.1:56226 -> ..."}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(label == null ? "" : label + "\n");
        out.append(format).append(", ").append(packets.size()).append(" packets\n");
        for (int i = 0; i < packets.size(); i++) {
            out.append(String.format("%4d %6d  %s%n", i + 1, packets.get(i).bytes().length, summaries.get(i)));
        }
        streams.forEach(s -> out.append(s).append('\n'));
        problems.forEach(p -> out.append("problem at file offset ").append(p.offset()).append(": ").append(p.message()).append('\n'));
        return out.toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder(label == null ? "" : "<p class=\"wl-recorded\">" + Html.escape(label) + "</p>");
        html.append("<table><tr><th>No.</th><th>Length</th><th>Info</th></tr>");
        for (int i = 0; i < packets.size(); i++) {
            html.append("<tr><td>").append(i + 1).append("</td><td>").append(packets.get(i).bytes().length)
                    .append("</td><td>").append(Html.escape(summaries.get(i))).append("</td></tr>");
        }
        html.append("</table>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }

    /** A capture whose reading failed unexpectedly: no packets, one problem over the whole file. */
    static PacketCapture failed(byte[] file, RuntimeException e) {
        return new PacketCapture("unknown", List.of(), List.of(), List.of(),
                List.of(new Problem(0, file.length, "could not dissect: " + e)), List.of());
    }

    static PacketCapture read(byte[] file) {
        PcapFile pcap = PcapFile.read(file);
        PacketDissector dissector = new PacketDissector();
        List<Dissection> packets = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        Map<String, Direction> directions = new LinkedHashMap<>();
        Map<String, Integer> connections = new LinkedHashMap<>();
        List<java.time.Instant> times = new ArrayList<>();
        for (PcapFile.Record r : pcap.records) {
            times.add(r.time());
            packets.add(dissector.dissect(r.linkType(), r.data()));
            summaries.add(dissector.summary);
            PacketDissector.Segment s = dissector.segment;
            if (s == null) {
                continue;
            }
            String key = s.source() + " -> " + s.destination();
            String pair = s.source().compareTo(s.destination()) < 0 ? key : s.destination() + " -> " + s.source();
            int index = connections.computeIfAbsent(pair, k -> connections.size());
            directions.computeIfAbsent(key, k -> new Direction(index, s.source(), s.destination()))
                    .take(r.number(), s, r.data());
        }
        List<TcpStream> streams = new ArrayList<>();
        for (Direction d : directions.values()) {
            if (d.data.size() > 0) {
                streams.add(d.stream());
            }
        }
        return new PacketCapture(pcap.format, packets, summaries, streams, pcap.problems, times);
    }

    /** One direction being reassembled: bytes in sequence order (RFC 9293 §3.4). */
    private static final class Direction {
        final int index;
        final String source;
        final String destination;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<TcpStream.Segment> segments = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        Long next;

        Direction(int index, String source, String destination) {
            this.index = index;
            this.source = source;
            this.destination = destination;
        }

        void take(int frame, PacketDissector.Segment s, byte[] packet) {
            long seq = s.seq();
            if ((s.flags() & PacketDissector.Segment.SYN) != 0) {
                seq = (seq + 1) & 0xffffffffL;
                if (next == null) {
                    next = seq;
                }
            }
            if (next == null) {
                next = seq;
            }
            int len = s.payloadLength();
            if (len > 0) {
                long ahead = (seq - next) & 0xffffffffL;
                long skip = 0;
                if (ahead != 0 && ahead < (1L << 30)) {
                    problems.add(new Problem(data.size(), 0, "missing " + ahead + " bytes before frame " + frame
                            + " (not captured)"));
                } else if (ahead != 0) {
                    skip = (next - seq) & 0xffffffffL;
                }
                if (skip < len) {
                    int from = (int) skip;
                    segments.add(new TcpStream.Segment(frame, s.payloadOffset() + from, data.size(), len - from));
                    data.write(packet, s.payloadOffset() + from, len - from);
                    next = (seq + len) & 0xffffffffL;
                }
            }
            if ((s.flags() & PacketDissector.Segment.FIN) != 0 && next != null) {
                next = (next + 1) & 0xffffffffL;
            }
        }

        TcpStream stream() {
            byte[] bytes = data.toByteArray();
            Dissection d = Dissect.stream(bytes);
            if (!problems.isEmpty()) {
                List<Problem> all = new ArrayList<>(d.problems());
                all.addAll(problems);
                d = d instanceof WebSocketDissection w
                        ? new WebSocketDissection(bytes, w.fields(), all, w.messages())
                        : new Dissection(d.protocol(), bytes, d.fields(), all);
            }
            return new TcpStream(index, source, destination, segments, d);
        }
    }
}

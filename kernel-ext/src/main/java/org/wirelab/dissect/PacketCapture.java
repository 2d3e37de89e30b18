package org.wirelab.dissect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.display.Views;
import org.wirelab.wire.PcapReader;
import org.wirelab.wire.TcpFlags;

/**
 * A capture file read packet by packet (link layer to TCP/UDP) with every TCP direction
 * reassembled and dissected as HTTP / WebSocket.
 *
 * <p>The file is read when first asked: {@link #packets()} and the other lists hold every packet
 * in memory, while iterating ({@code for (Dissection p : capture)}) and {@link #scan} read it
 * again packet by packet and hold only the packet at hand (and, for {@code scan}, the reassembled
 * payload bytes), so a capture of any size can be read.
 *
 * <pre>
 *   Dissect.pcap(Path.of("http.pcap")).packets().get(0).value("tcp.flags.syn")   // "1"
 * </pre>
 */
public final class PacketCapture implements Rich, Iterable<Dissection> {

    private final Supplier<PcapReader> source;
    private final String format;
    private Loaded loaded;
    private String label;

    /** Everything {@link #packets()} and its siblings return, read in one pass. */
    private record Loaded(List<Dissection> packets, List<String> summaries, List<TcpStream> streams,
                          List<Problem> problems, List<Optional<Instant>> times) {
    }

    private PacketCapture(Supplier<PcapReader> source, String format, Loaded loaded) {
        this.source = source;
        this.format = format;
        this.loaded = loaded;
    }

    static PacketCapture of(Supplier<PcapReader> source) {
        String format;
        try (PcapReader r = source.get()) {
            format = r.format();
        }
        return new PacketCapture(source, format, null);
    }

    private synchronized Loaded loaded() {
        if (loaded == null) {
            List<Dissection> packets = new ArrayList<>();
            List<String> summaries = new ArrayList<>();
            List<Optional<Instant>> times = new ArrayList<>();
            List<TcpStream> streams = new ArrayList<>();
            List<Problem> problems = scan(p -> {
                packets.add(p.dissection());
                summaries.add(p.summary());
                times.add(p.time());
            }, streams::add);
            loaded = new Loaded(List.copyOf(packets), List.copyOf(summaries), List.copyOf(streams), problems,
                    List.copyOf(times));
        }
        return loaded;
    }

    /**
     * One packet as {@link #scan} hands it over.
     *
     * @param frame      tshark's frame number, from 1
     * @param dissection its fields, offsets from the packet's first byte
     * @param summary    the listing line, e.g. {@code "127.0.0.1:55062 -> 127.0.0.1:41841 [SYN] seq=0"}
     * @param time       when it was captured (frame.time); empty for a pcapng Simple Packet Block,
     *                   which carries no time
     */
    public record Packet(int frame, Dissection dissection, String summary, Optional<Instant> time) {

        public Packet {
            java.util.Objects.requireNonNull(time, "time (Optional.empty() when the packet has none)");
        }
    }

    /**
     * Reads the file once more, handing each packet to {@code packets} as it is read, then each TCP
     * direction that carried payload to {@code streams}, reassembled and dissected one at a time;
     * returns the problems of the file itself. Holds one packet and the reassembled payload bytes,
     * never the list of packets: {@code dissect --json} writes a capture of any size this way.
     */
    public List<Problem> scan(Consumer<Packet> packets, Consumer<TcpStream> streams) {
        PacketDissector dissector = new PacketDissector();
        Map<String, Direction> directions = new LinkedHashMap<>();
        Map<String, Integer> connections = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        try (PcapReader reader = source.get()) {
            while (reader.hasNext()) {
                PcapReader.Record r = reader.next();
                Dissection d = dissector.dissect(r.linkType(), r.data());
                packets.accept(new Packet(r.number(), d, dissector.summary, r.time()));
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
            reader.problems().forEach(p -> problems.add(new Problem(clamp(p.offset()), clamp(p.length()), p.message())));
        }
        for (Iterator<Direction> i = directions.values().iterator(); i.hasNext(); ) {
            Direction d = i.next();
            i.remove();
            if (d.size > 0) {
                streams.accept(d.stream());
            }
        }
        return List.copyOf(problems);
    }

    private static int clamp(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    /**
     * The packets read one at a time from the file, without reassembly and without holding earlier
     * ones, e.g. {@code for (Dissection p : Dissect.pcap(path)) ...}.
     */
    @Override
    public Iterator<Dissection> iterator() {
        PcapReader reader = source.get();
        PacketDissector dissector = new PacketDissector();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = reader.hasNext();
                if (!more) {
                    reader.close();
                }
                return more;
            }

            @Override
            public Dissection next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more packets in this capture");
                }
                PcapReader.Record r = reader.next();
                return dissector.dissect(r.linkType(), r.data());
            }
        };
    }

    /**
     * The same packets, shown under {@code label}: where they came from when it is not this run's
     * own live capture, e.g. {@code "recorded capture tcp-handshake, not this run's traffic"} or
     * {@code "synthesized from the tap's recording, not captured"}. The label heads the listing and
     * the diagram.
     */
    public PacketCapture labelled(String label) {
        PacketCapture copy = new PacketCapture(source, format, loaded);
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
        return loaded().packets();
    }

    /**
     * When frame {@code frame} was captured (frame.time), numbered from 1 as tshark numbers frames,
     * e.g. {@code time(1)} for the SYN of a handshake capture; empty for a pcapng Simple Packet
     * Block, which carries no time. Throws, naming the frames there are, when there is no such frame.
     */
    public Optional<Instant> time(int frame) {
        List<Optional<Instant>> times = loaded().times();
        if (frame < 1 || frame > times.size()) {
            throw new IndexOutOfBoundsException("frame " + frame + " asked for, but this capture holds " + times.size()
                    + " frame" + (times.size() == 1 ? "" : "s") + (times.isEmpty() ? "" : ", numbered from 1"));
        }
        return times.get(frame - 1);
    }

    /**
     * The TCP segments as a sequence diagram between the endpoints (drawn by
     * {@code SequenceDiagram.of(capture)}, which this calls through {@link Views}), each arrow
     * labelled with the flags and the raw sequence and acknowledgment numbers, e.g.
     * {@code "SYN seq_raw=3517288269 len=0"}, {@code "SYN, ACK seq_raw=1029384756 ack_raw=3517288270 len=0"}.
     */
    public Rich diagram() {
        return Views.of("diagram", this);
    }

    /** One-line summary of each packet as in the text listing, e.g. {@code "127.0.0.1:55062 -> 127.0.0.1:41841 [SYN] seq=0"}. */
    public List<String> summaries() {
        return loaded().summaries();
    }

    /** Each TCP direction that carried payload, in order of its first packet. */
    public List<TcpStream> streams() {
        return loaded().streams();
    }

    /** Problems of the file itself (offsets into the file), e.g. a truncated last record. */
    public List<Problem> problems() {
        return loaded().problems();
    }

    /** One line per packet: number, length and a summary, e.g. {@code "1  74  127.0.0.1:56226 -> ..."}. */
    @Override
    public String toString() {
        List<Dissection> packets = packets();
        List<String> summaries = summaries();
        StringBuilder out = new StringBuilder(label == null ? "" : label + "\n");
        out.append(format).append(", ").append(packets.size()).append(" packets\n");
        for (int i = 0; i < packets.size(); i++) {
            out.append(String.format("%4d %6d  %s%n", i + 1, packets.get(i).bytes().length, summaries.get(i)));
        }
        streams().forEach(s -> out.append(s).append('\n'));
        problems().forEach(p -> out.append("problem at file offset ").append(p.offset()).append(": ").append(p.message()).append('\n'));
        return out.toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        List<Dissection> packets = packets();
        List<String> summaries = summaries();
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
    static PacketCapture failed(long fileLength, RuntimeException e) {
        return new PacketCapture(() -> PcapReader.of(new byte[0]), "unknown", new Loaded(List.of(), List.of(), List.of(),
                List.of(new Problem(0, clamp(fileLength), "could not dissect: " + e)), List.of()));
    }

    /** One direction being reassembled: bytes in sequence order (RFC 9293 §3.4). */
    private static final class Direction {
        final int index;
        final String source;
        final String destination;
        final List<byte[]> chunks = new ArrayList<>();
        int size;
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
            if ((s.flags() & TcpFlags.SYN) != 0) {
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
                    problems.add(new Problem(size, 0, "missing " + ahead + " bytes before frame " + frame
                            + " (not captured)"));
                } else if (ahead != 0) {
                    skip = (next - seq) & 0xffffffffL;
                }
                if (skip < len) {
                    int from = (int) skip;
                    segments.add(new TcpStream.Segment(frame, s.payloadOffset() + from, size, len - from));
                    chunks.add(java.util.Arrays.copyOfRange(packet, s.payloadOffset() + from, s.payloadOffset() + len));
                    size += len - from;
                    next = (seq + len) & 0xffffffffL;
                }
            }
            if ((s.flags() & TcpFlags.FIN) != 0 && next != null) {
                next = (next + 1) & 0xffffffffL;
            }
        }

        TcpStream stream() {
            byte[] bytes = new byte[size];
            int at = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, bytes, at, c.length);
                at += c.length;
            }
            chunks.clear();
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

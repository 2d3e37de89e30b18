package org.wirelab.diagram;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Http2Dissection;
import org.wirelab.tap.Connection;
import org.wirelab.tap.TapEvent;
import org.wirelab.wire.Direction;
import org.wirelab.wire.HttpHead;

/**
 * Views of one HTTP/2 connection a tap recorded (RFC 9113): its frames on a sequence diagram,
 * its streams as lanes of a time line, and what HPACK (RFC 7541) did to each header block.
 *
 * <pre>{@code
 * Http2Views.sequence(tap.recording().connection(1))      // HEADERS s=1 END_STREAM END_HEADERS, DATA s=3 len=300 ...
 * Http2Views.timeline(tap.recording().connection(1))      // one lane per stream
 * Http2Views.hpack(Dissect.http2(c.stream(Direction.CLIENT_TO_SERVER)))
 * }</pre>
 */
public final class Http2Views {

    private Http2Views() {
    }

    /**
     * One frame (or the HTTP/1.1 head before an upgrade, or the preface) of one direction, with
     * the times the tap saw its first and its last byte.
     *
     * @param direction e.g. {@code SERVER_TO_CLIENT}
     * @param label     e.g. {@code "DATA s=3 len=300 END_STREAM"}
     * @param frame     the frame; empty for the HTTP/1.1 head and the preface, which are not frames
     * @param first     when its first byte arrived at the tap
     * @param last      when its last byte arrived at the tap
     * @param nanos     {@link TapEvent#nanos()} of that last byte's chunk, to order both directions exactly
     */
    public record TimedFrame(Direction direction, String label, Optional<Http2Dissection.Frame> frame, Instant first,
            Instant last, long nanos) {

        public TimedFrame {
            Objects.requireNonNull(frame, "frame (Optional.empty() for the HTTP/1.1 head and the preface)");
        }
    }

    /** Every frame of both directions of {@code c}, in the order their last bytes reached the tap. */
    public static List<TimedFrame> frames(Connection c) {
        List<TimedFrame> out = new ArrayList<>();
        for (Direction d : Direction.values()) {
            byte[] bytes = c.stream(d);
            List<TapEvent> data = c.events(d).stream().filter(e -> e.kind() == TapEvent.Kind.DATA).toList();
            if (data.isEmpty()) {
                continue;
            }
            int end = HttpHead.startsLikeHttp(bytes) && !new String(bytes, 0, Math.min(3, bytes.length),
                    StandardCharsets.US_ASCII).equals("PRI") ? HttpHead.endOfHead(bytes) : -1;
            if (end > 0) {
                String line = new String(bytes, 0, Math.min(end, 200), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                out.add(timed(d, line, Optional.empty(), 0, end, data));
            }
            Http2Dissection h2 = Dissect.http2(bytes);
            h2.field("http2.magic").ifPresent(m -> out.add(timed(d, "preface PRI * HTTP/2.0", Optional.empty(), m.offset(),
                    m.length(), data)));
            for (Http2Dissection.Frame f : h2.frames()) {
                out.add(timed(d, f.label(), Optional.of(f), f.offset(), f.length(), data));
            }
        }
        out.sort(Comparator.comparingLong(TimedFrame::nanos));
        return out;
    }

    private static TimedFrame timed(Direction d, String label, Optional<Http2Dissection.Frame> f, int offset, int length,
            List<TapEvent> data) {
        TapEvent first = at(data, offset);
        TapEvent last = at(data, offset + Math.max(length, 1) - 1);
        return new TimedFrame(d, label, f, first.time(), last.time(), last.nanos());
    }

    private static TapEvent at(List<TapEvent> data, long offset) {
        for (TapEvent e : data) {
            if (offset >= e.offset() && offset < e.offset() + e.length()) {
                return e;
            }
        }
        return data.get(data.size() - 1);
    }

    /** Every frame of {@code c} as a message between client and server, e.g. {@code HEADERS s=1 END_HEADERS}. */
    public static SequenceDiagram sequence(Connection c) {
        return sequence(c, Set.of());
    }

    /** Only the frames of {@code streams}, e.g. {@code sequence(c, Set.of(3, 5))}; empty: every frame. */
    public static SequenceDiagram sequence(Connection c, Set<Integer> streams) {
        SequenceDiagram.Builder b = SequenceDiagram.newBuilder().participant("client").participant("server");
        for (TimedFrame t : frames(c)) {
            if (!streams.isEmpty() && t.frame().filter(f -> streams.contains(f.streamId())).isEmpty()) {
                continue;
            }
            boolean up = t.direction() == Direction.CLIENT_TO_SERVER;
            b.message(up ? "client" : "server", up ? "server" : "client", t.label(), t.last(), "#" + c.id());
        }
        return b.build();
    }

    /**
     * One lane per stream (and one for stream 0, the connection): a bar per DATA frame from its
     * first to its last byte (at least 1 ms wide, to be visible), a mark per other frame, so DATA of
     * streams that overlap in time sit side by side on one TCP connection.
     */
    public static Timeline timeline(Connection c) {
        return timeline(c, Set.of());
    }

    /** Only the lanes of {@code streams}, e.g. {@code timeline(c, Set.of(3, 5))}; empty: every stream. */
    public static Timeline timeline(Connection c, Set<Integer> streams) {
        List<TimedFrame> frames = frames(c).stream().filter(t -> t.frame().isPresent())
                .filter(t -> streams.isEmpty() || streams.contains(t.frame().get().streamId())).toList();
        Timeline.Builder b = Timeline.newBuilder("HTTP/2 frames per stream, connection #" + c.id());
        TreeSet<Integer> ids = new TreeSet<>();
        frames.forEach(t -> ids.add(t.frame().get().streamId()));
        ids.stream().filter(i -> i > 0).forEach(i -> b.lane(lane(i)));
        if (ids.contains(0)) {
            b.lane(lane(0));
        }
        for (TimedFrame t : frames) {
            Http2Dissection.Frame f = t.frame().get();
            String arrow = t.direction() == Direction.CLIENT_TO_SERVER ? "→ " : "← ";
            if (f.type() == Http2Dissection.FrameType.DATA) {
                Instant end = t.last().isAfter(t.first().plusMillis(1)) ? t.last() : t.first().plusMillis(1);
                b.flow(lane(f.streamId()), f.dataLength(), t.first(), end);
            } else {
                b.event(lane(f.streamId()), arrow + f.label().replace(" s=" + f.streamId(), ""), t.last());
            }
        }
        return b.build();
    }

    private static String lane(int stream) {
        return stream == 0 ? "stream 0 (connection)" : "stream " + stream;
    }

    /**
     * What HPACK did in one direction: per header block, each field with its representation and
     * the bytes it cost on the wire, and the dynamic table after the block (RFC 7541 §2.3, §4.1).
     */
    public static Rich hpack(Http2Dissection d) {
        return new HpackView(d.headerBlocks());
    }

    private record HpackView(List<Http2Dissection.Frame> blocks) implements Rich {

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (Http2Dissection.Frame f : blocks) {
                out.append(title(f)).append('\n');
                for (Http2Dissection.Header h : f.headers()) {
                    out.append(String.format("  %3d byte%s  %-28s %s%n", h.length(), h.length() == 1 ? " " : "s",
                            h.representation().shortName(), field(h)));
                }
                out.append("  dynamic table after it (").append(f.tableSize()).append(" octets):").append('\n');
                for (Http2Dissection.TableEntry e : f.table()) {
                    out.append(String.format("    [%d] %s: %s  (%d)%n", e.index(), e.name(), e.value(), e.size()));
                }
            }
            return out.toString();
        }

        private static String field(Http2Dissection.Header h) {
            return h.representation() == Http2Dissection.Representation.SIZE_UPDATE ? "table size " + h.index()
                    : h.name() + ": " + h.value() + (h.index() > 0 ? "  [index " + h.index() + "]" : "");
        }

        private static String title(Http2Dissection.Frame f) {
            int wire = f.headers().stream().mapToInt(Http2Dissection.Header::length).sum();
            int text = f.headers().stream().filter(h -> h.representation() != Http2Dissection.Representation.SIZE_UPDATE)
                    .mapToInt(h -> h.name().length() + 2 + h.value().length() + 2).sum();
            return f.label() + ": " + f.headers().size() + " fields in " + wire + " bytes (as HTTP/1.1 text lines: " + text + " bytes)";
        }

        @Override
        public Map<String, Object> mimeBundle() {
            StringBuilder html = new StringBuilder();
            for (Http2Dissection.Frame f : blocks) {
                html.append("<p><b>").append(Html.escape(title(f))).append("</b></p><table><tr><th>bytes</th>"
                        + "<th>representation</th><th>field</th></tr>");
                for (Http2Dissection.Header h : f.headers()) {
                    html.append("<tr><td>").append(h.length()).append("</td><td>")
                            .append(Html.escape(h.representation().shortName())).append("</td><td><code>")
                            .append(Html.escape(field(h))).append("</code></td></tr>");
                }
                html.append("</table><p>dynamic table after it, ").append(f.tableSize()).append(" octets:</p><table>"
                        + "<tr><th>index</th><th>entry</th><th>size</th></tr>");
                for (Http2Dissection.TableEntry e : f.table()) {
                    html.append("<tr><td>").append(e.index()).append("</td><td><code>").append(Html.escape(e.name() + ": " + e.value()))
                            .append("</code></td><td>").append(e.size()).append("</td></tr>");
                }
                html.append("</table>");
            }
            return MimeBundle.text(toString()).html(html.toString()).build();
        }
    }
}

package org.wirelab.tap;

import org.wirelab.wire.Direction;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * One TCP connection through a {@link Tap}, frozen when {@link Tap#recording()} was called: its
 * four addresses, its events in time order and the bytes of each direction.
 *
 * <pre>{@code
 * var c = tap.recording().connection(1);
 * c.printable(Direction.CLIENT_TO_SERVER)      // "GET / HTTP/1.1\r\nHost: 127.0.0.1:41234\r\n..."
 * }</pre>
 */
public final class Connection implements Rich {

    /** One direction's kept bytes: the head, the tail and the exact total. */
    record Side(byte[] head, byte[] tail, long total) {
        long dropFrom() {
            return head.length;
        }

        long dropTo() {
            return total - tail.length;
        }

        byte[] range(long from, long to) {
            byte[] out = new byte[(int) (to - from)];
            int n = 0;
            long hs = Math.max(from, 0);
            long he = Math.min(to, head.length);
            if (hs < he) {
                System.arraycopy(head, (int) hs, out, n, (int) (he - hs));
                n += (int) (he - hs);
            }
            long ts = Math.max(from, dropTo());
            long te = Math.min(to, total);
            if (ts < te) {
                System.arraycopy(tail, (int) (ts - dropTo()), out, n, (int) (te - ts));
                n += (int) (te - ts);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }
    }

    private final int id;
    private final InetSocketAddress client;
    private final InetSocketAddress tapClientSide;
    private final InetSocketAddress tapServerSide;
    private final InetSocketAddress server;
    private final Instant opened;
    private final Instant closed;
    private final Instant idleDropped;
    private final Side[] sides;
    private final List<TapEvent> events;
    private final long droppedEvents;

    Connection(int id, InetSocketAddress client, InetSocketAddress tapClientSide, InetSocketAddress tapServerSide,
               InetSocketAddress server, Instant opened, Instant closed, Instant idleDropped, Side c2s, Side s2c,
               List<TapEvent> events, long droppedEvents) {
        this.id = id;
        this.client = client;
        this.tapClientSide = tapClientSide;
        this.tapServerSide = tapServerSide;
        this.server = server;
        this.opened = opened;
        this.closed = closed;
        this.idleDropped = idleDropped;
        this.sides = new Side[] {c2s, s2c};
        List<TapEvent> withBytes = new ArrayList<>(events.size());
        for (TapEvent e : events) {
            if (e.kind() == TapEvent.Kind.DATA) {
                Side side = sides[e.direction().orElseThrow().ordinal()];
                withBytes.add(e.withBytes(side.range(e.offset(), e.offset() + e.length())));
            } else {
                withBytes.add(e);
            }
        }
        this.events = List.copyOf(withBytes);
        this.droppedEvents = droppedEvents;
    }

    /** The connection id: 1 for the first connection accepted by the tap, then 2, 3... */
    public int id() {
        return id;
    }

    /** The real client's address, e.g. {@code /127.0.0.1:52814}. */
    public InetSocketAddress client() {
        return client;
    }

    /** The real server's address the tap connected to, e.g. {@code /127.0.0.1:8080}. */
    public InetSocketAddress server() {
        return server;
    }

    /** The tap's address on the client leg: where the client connected, e.g. {@code /127.0.0.1:40001}. */
    public InetSocketAddress tapClientSide() {
        return tapClientSide;
    }

    /** The tap's local address on the server leg, e.g. {@code /127.0.0.1:52816}; empty if the connect failed. */
    public java.util.Optional<InetSocketAddress> tapServerSide() {
        return java.util.Optional.ofNullable(tapServerSide);
    }

    /** When both legs were connected (or the connect failed). */
    public Instant opened() {
        return opened;
    }

    /** When both legs were closed; empty while the connection is open. */
    public Optional<Instant> closed() {
        return Optional.ofNullable(closed);
    }

    /** Whether the connection was still open at the snapshot. */
    public boolean isOpen() {
        return closed == null;
    }

    /** When an idle timeout with {@link IdleAction#DROP} stopped forwarding; empty if it never did. */
    public Optional<Instant> idleDropped() {
        return Optional.ofNullable(idleDropped);
    }

    /** Every kept event in time order: OPEN, DATA..., FIN, CLOSE (at most 10 000, head and tail). */
    public List<TapEvent> events() {
        return events;
    }

    /** The events of one direction, e.g. the DATA and FIN of client → server. */
    public List<TapEvent> events(Direction direction) {
        return events.stream().filter(e -> e.direction().equals(Optional.of(direction))).toList();
    }

    /** The events seen in {@code [from, to)}, e.g. the first second: {@code events(c.opened(), c.opened().plusSeconds(1))}. */
    public List<TapEvent> events(Instant from, Instant to) {
        return events.stream().filter(e -> !e.time().isBefore(from) && e.time().isBefore(to)).toList();
    }

    /** The DATA events that carry any byte of {@code [from, to)} in {@code direction}. */
    public List<TapEvent> events(Direction direction, long from, long to) {
        return events.stream()
                .filter(e -> e.kind() == TapEvent.Kind.DATA && e.direction().equals(Optional.of(direction)))
                .filter(e -> e.offset() < to && e.offset() + e.length() > from)
                .toList();
    }

    /** How many events were dropped between the first and last 5 000; 0 normally. */
    public long droppedEvents() {
        return droppedEvents;
    }

    /** The kept bytes of one direction in order (head then tail when the cap dropped the middle). */
    public byte[] stream(Direction direction) {
        Side s = sides[direction.ordinal()];
        byte[] out = Arrays.copyOf(s.head(), s.head().length + s.tail().length);
        System.arraycopy(s.tail(), 0, out, s.head().length, s.tail().length);
        return out;
    }

    /**
     * Bytes {@code [from, to)} of one direction, e.g. {@code stream(CLIENT_TO_SERVER, 0, 16)};
     * fails when part of the range was dropped by the cap.
     */
    public byte[] stream(Direction direction, long from, long to) {
        Side s = sides[direction.ordinal()];
        if (from < 0 || to < from || to > s.total()) {
            throw new IndexOutOfBoundsException("bytes " + from + ".." + to + " are outside " + direction
                    + " stream of " + s.total() + " bytes");
        }
        if (from < s.dropTo() && to > s.dropFrom()) {
            throw new IllegalArgumentException("bytes " + from + ".." + to + " of " + direction + " overlap the "
                    + dropped(direction) + " bytes dropped between offsets " + s.dropFrom() + " and " + s.dropTo());
        }
        return s.range(from, to);
    }

    /** The kept bytes of one direction as text with escapes ({@code \r\n}, {@code \x81}), e.g. {@code "HTTP/1.1 200 OK\r\n..."}. */
    public String printable(Direction direction) {
        byte[] all = stream(direction);
        return org.wirelab.wire.Printable.escape(all, 0, all.length);
    }

    /** Exact count of bytes that went {@code direction}, kept or not, e.g. {@code 1073741824}. */
    public long byteCount(Direction direction) {
        return sides[direction.ordinal()].total();
    }

    /** How many of them were dropped by the cap; 0 while the stream fits. */
    public long dropped(Direction direction) {
        Side s = sides[direction.ordinal()];
        return s.dropTo() - s.dropFrom();
    }

    /** Offset of the first dropped byte (the head's size) when {@link #dropped} is not 0. */
    public long droppedFrom(Direction direction) {
        return sides[direction.ordinal()].dropFrom();
    }

    /** Offset where the kept tail starts, after the last dropped byte. */
    public long droppedTo(Direction direction) {
        return sides[direction.ordinal()].dropTo();
    }

    /**
     * E.g. {@code "recorded 1 MiB of 1 GiB: 1023 MiB dropped between offsets 524288 and 1073217536"},
     * or {@code "recorded 78 B"}.
     */
    public String summary(Direction direction) {
        Side s = sides[direction.ordinal()];
        long kept = s.head().length + s.tail().length;
        if (dropped(direction) == 0) {
            return "recorded " + Preview.size(kept);
        }
        return "recorded " + Preview.size(kept) + " of " + Preview.size(s.total()) + ": "
                + Preview.size(dropped(direction)) + " dropped between offsets " + s.dropFrom() + " and " + s.dropTo();
    }

    private String state() {
        if (closed == null) {
            return idleDropped != null ? "open, not forwarding (idle DROP)" : "open";
        }
        boolean reset = events.stream().anyMatch(e -> e.kind() == TapEvent.Kind.RESET);
        String how = reset ? "reset" : "closed";
        return opened == null ? how : how + " after " + millis(lifetime());
    }

    // From the OPEN to the CLOSE event by the monotonic clock, as the listing's times count; the wall
    // clock of opened() and closed() can be stepped between the two.
    private Duration lifetime() {
        OptionalLong open = events.stream().filter(e -> e.kind() == TapEvent.Kind.OPEN).mapToLong(TapEvent::nanos).findFirst();
        OptionalLong close = events.stream().filter(e -> e.kind() == TapEvent.Kind.CLOSE).mapToLong(TapEvent::nanos).findFirst();
        return open.isPresent() && close.isPresent() ? Duration.ofNanos(close.getAsLong() - open.getAsLong())
                : Duration.between(opened, closed);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    /** The heading line, e.g. {@code #1 127.0.0.1:52814 ⇄ 127.0.0.1:8080 closed after 12 ms}. */
    String heading() {
        return "#" + id + " " + hostPort(client) + " ⇄ " + hostPort(server) + " " + state() + " (tap " + hostPort(tapClientSide)
                + (tapServerSide == null ? "" : " / " + hostPort(tapServerSide)) + ")";
    }

    // 127.0.0.1:8080 and [::1]:8080, without InetSocketAddress's "/" or host name.
    static String hostPort(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The heading, both summaries, then one line per event, its time since the connection's first event. */
    @Override
    public String toString() {
        return listing(t0(events));
    }

    /** Bytes of a payload a listing shows before "… (n more bytes)"; {@link #events()} has them all. */
    static final int PREVIEW = 48;
    /** Events a listing shows per table or connection. */
    static final int LISTED = 200;

    /** The {@link TapEvent#nanos()} that listings count from: the first event's, or 0 without events. */
    static long t0(List<TapEvent> events) {
        return events.stream().mapToLong(TapEvent::nanos).min().orElse(0);
    }

    /** {@link #toString()} with times counted from {@code t0Nanos}. */
    String listing(long t0Nanos) {
        StringBuilder out = new StringBuilder(heading()).append('\n');
        for (Direction d : Direction.values()) {
            out.append("  ").append(d).append(": ").append(byteCount(d)).append(" B, ").append(summary(d)).append('\n');
        }
        if (droppedEvents > 0) {
            out.append("  ").append(droppedEvents).append(" events dropped between the first and last 5000\n");
        }
        int listed = 0;
        for (TapEvent e : events) {
            if (listed++ == LISTED) {
                out.append("  … ").append(events.size() - LISTED).append(" more events; events() has all\n");
                break;
            }
            out.append("  ").append(e.line(t0Nanos, PREVIEW)).append('\n');
        }
        return out.toString();
    }

    /** text/plain as {@link #toString()}, text/html as a table of events ({@code wl-tap-connection}). */
    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder();
        html.append("<div class=\"wl-tap-connection\"><p class=\"wl-heading\">").append(Html.escape(heading())).append("</p>");
        html.append("<table class=\"wl-table wl-tap-summary\"><tr><th>direction</th><th>bytes</th><th>recording</th></tr>");
        for (Direction d : Direction.values()) {
            html.append("<tr><td>").append(Html.escape(d.toString())).append("</td><td>").append(byteCount(d))
                    .append("</td><td>").append(Html.escape(summary(d))).append("</td></tr>");
        }
        html.append("</table>");
        html.append(eventTable(events, LISTED));
        html.append("</div>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }

    /** The events as a table, times in milliseconds since the first of them, payloads cut at {@link #PREVIEW} bytes. */
    static String eventTable(List<TapEvent> events, int max) {
        long t0 = t0(events);
        StringBuilder html = new StringBuilder("<table class=\"wl-table wl-tap-events\"><tr><th>#</th><th>time</th>"
                + "<th>direction</th><th>event</th><th>offset</th><th>bytes</th><th>payload</th></tr>");
        int shown = 0;
        for (TapEvent e : events) {
            if (shown++ == max) {
                html.append("<tr><td colspan=\"7\">… ").append(events.size() - max).append(" more events; events() has all</td></tr>");
                break;
            }
            String cls = e.direction().map(d -> d == Direction.CLIENT_TO_SERVER ? "wl-c2s" : "wl-s2c").orElse("wl-event");
            html.append("<tr class=\"").append(cls).append("\"><td>").append(e.connection()).append("</td><td title=\"")
                    .append(Html.escape(e.time().toString())).append("\">").append(e.since(t0)).append("</td><td>")
                    .append(e.direction().map(d -> Html.escape(d.toString())).orElse("")).append("</td><td>")
                    .append(e.kind()).append("</td><td>").append(e.offset()).append("</td><td>")
                    .append(e.kind() == TapEvent.Kind.DATA ? String.valueOf(e.length()) : "").append("</td><td><code>")
                    .append(Html.escape(e.kind() == TapEvent.Kind.DATA ? Preview.of(e.bytes(), PREVIEW) : e.note()))
                    .append("</code></td></tr>");
        }
        return html.append("</table>").toString();
    }
}

package org.wirelab.diagram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.tcp.TcpStateHistory;
import org.wirelab.wire.Addresses;

/**
 * Intervals and events on lanes over time: the TCP states of a connection (lanes = sides,
 * intervals = states), or who talks when (lanes = directions, intervals = when bytes flowed),
 * which shows simplex, half and full duplex from real traffic. Times are drawn in milliseconds
 * since the earliest one.
 *
 * <pre>{@code
 * Timeline.newBuilder("TCP states, client side")
 *     .interval("client", "SYN-SENT", t0, t1).interval("client", "ESTABLISHED", t1, t2)
 *     .event("client", "FIN", t2)
 *     .build()
 * }</pre>
 */
public final class Timeline implements Rich {

    /** Intervals and events drawn at most: {@value}; more are refused with an error that says so. */
    public static final int MAX_ITEMS = 600;

    private record Item(String lane, String label, String colour, Instant start, Instant end, boolean event) {
    }

    private final String title;
    private final List<String> lanes;
    private final List<Item> items;
    private final Instant origin;

    private Timeline(String title, List<String> lanes, List<Item> items) {
        this.title = title;
        this.lanes = lanes;
        this.items = items;
        this.origin = items.stream().map(Item::start).min(Instant::compareTo).orElse(Instant.EPOCH);
    }

    /** Starts an empty time line, e.g. {@code newBuilder("who talks when")}. */
    public static Builder newBuilder(String title) {
        return new Builder(Objects.requireNonNull(title, "title"));
    }

    /**
     * The TCP states of {@code history} on a time line, one lane per socket ({@code local → remote}),
     * each state a bar from when it was first seen to the next one; the last state runs to the last sample.
     */
    public static Timeline of(TcpStateHistory history) {
        Builder builder = newBuilder("TCP states seen in /proc/net/tcp");
        Map<List<java.net.InetSocketAddress>, List<TcpStateHistory.Transition>> connections = history.connections();
        Instant end = connections.values().stream().flatMap(List::stream).map(TcpStateHistory.Transition::time)
                .max(Instant::compareTo).orElse(Instant.EPOCH);
        connections.forEach((k, v) -> {
            String lane = Addresses.text(k.get(0)) + " → " + Addresses.text(k.get(1));
            for (int i = 0; i < v.size(); i++) {
                TcpStateHistory.Transition t = v.get(i);
                Instant until = i + 1 < v.size() ? v.get(i + 1).time() : end;
                if (i + 1 == v.size() && until.equals(t.time())) {
                    builder.event(lane, t.state().name(), t.time());
                } else {
                    builder.interval(lane, t.state().name(), t.time(), until);
                }
            }
        });
        return builder.build();
    }

    /** Chunks of one direction that reach the tap closer together than this are one transfer, one bar. */
    public static final Duration RUN_GAP = Duration.ofMillis(1);

    /**
     * Who talks when, from a tap recording: one lane per connection and direction. The tap stamps
     * each read with the moment it returned, so a chunk's bytes all carry one time: a run of chunks
     * less than {@link #RUN_GAP} apart is drawn as a bar from its first chunk to its last (a
     * transfer, from first byte to last byte), and a chunk on its own as a mark at its moment, never
     * widened. Bars on the two lanes of one connection that overlap are bytes moving both ways over
     * the same interval, e.g. {@code Timeline.duplex(tap.recording())}.
     */
    public static Timeline duplex(org.wirelab.tap.Recording recording) {
        Builder b = newBuilder("who sends when");
        for (org.wirelab.tap.Connection c : recording.connections()) {
            for (org.wirelab.wire.Direction d : org.wirelab.wire.Direction.values()) {
                b.lane("#" + c.id() + " " + d);
            }
        }
        for (org.wirelab.tap.Connection c : recording.connections()) {
            for (org.wirelab.wire.Direction d : org.wirelab.wire.Direction.values()) {
                String lane = "#" + c.id() + " " + d;
                List<org.wirelab.tap.TapEvent> data = c.events(d).stream()
                        .filter(e -> e.kind() == org.wirelab.tap.TapEvent.Kind.DATA).toList();
                int from = 0;
                for (int i = 0; i < data.size(); i++) {
                    boolean runEnds = i + 1 == data.size()
                            || data.get(i + 1).nanos() - data.get(i).nanos() >= RUN_GAP.toNanos();
                    if (!runEnds) {
                        continue;
                    }
                    long bytes = 0;
                    for (int k = from; k <= i; k++) {
                        bytes += data.get(k).length();
                    }
                    if (i == from) {
                        b.add(lane, bytes + " bytes", lane, data.get(i).time(), data.get(i).time(), true);
                    } else {
                        b.add(lane, bytes + " bytes in " + (i - from + 1) + " reads", lane, data.get(from).time(), data.get(i).time(), false);
                    }
                    from = i + 1;
                }
            }
        }
        return b.build();
    }

    /** Collects lanes (top to bottom, in first-use order) and what happens on them. */
    public static final class Builder {
        private final String title;
        private final LinkedHashSet<String> lanes = new LinkedHashSet<>();
        private final List<Item> items = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        /** Declares a lane ahead of use, to fix the order, e.g. {@code lane("client → server")}. */
        public Builder lane(String name) {
            lanes.add(Objects.requireNonNull(name, "lane"));
            return this;
        }

        /** A state or activity from {@code start} to {@code end}, coloured by its label, e.g. "ESTABLISHED". */
        public Builder interval(String lane, String label, Instant start, Instant end) {
            return add(lane, label, label, start, end, false);
        }

        /** Bytes flowing on {@code lane} from {@code start} to {@code end}, coloured by lane, labelled "78 bytes". */
        public Builder flow(String lane, long bytes, Instant start, Instant end) {
            return add(lane, bytes + " bytes", lane, start, end, false);
        }

        /** A moment on a lane, e.g. {@code event("client", "RST", t)}. */
        public Builder event(String lane, String label, Instant time) {
            return add(lane, label, label, time, time, true);
        }

        private Builder add(String lane, String label, String colour, Instant start, Instant end, boolean event) {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (end.isBefore(start)) {
                throw new IllegalArgumentException(label + ": end " + end + " is before start " + start);
            }
            if (items.size() >= MAX_ITEMS) {
                throw new IllegalStateException("a time line holds at most " + MAX_ITEMS + " items; merge adjacent ones first");
            }
            lanes.add(Objects.requireNonNull(lane, "lane"));
            items.add(new Item(clip(lane), clip(label), clip(colour), start, end, event));
            return this;
        }

        private static String clip(String s) {
            return s.length() <= 60 ? s : s.substring(0, 59) + "…";
        }

        /** The time line. */
        public Timeline build() {
            return new Timeline(title, lanes.stream().map(Builder::clip).toList(), List.copyOf(items));
        }
    }

    private double ms(Instant t) {
        return Duration.between(origin, t).toNanos() / 1e6;
    }

    /** The Vega-Lite v5 spec: a layer of bars ({@code start}..{@code end}, ms) and a layer of event points. */
    public Map<String, Object> vegaLite() {
        List<Object> values = new ArrayList<>();
        for (Item i : items) {
            values.add(Vl.map("lane", i.lane, "label", i.label, "colour", i.colour, "start", ms(i.start),
                    "end", ms(i.end), "kind", i.event ? "event" : "interval"));
        }
        Map<String, Object> y = Vl.map("field", "lane", "type", "nominal", "title", null, "sort", lanes);
        Map<String, Object> x = Vl.map("field", "start", "type", "quantitative", "title", "time since first (ms)");
        List<Object> tooltip = List.of(Vl.map("field", "lane", "type", "nominal"),
                Vl.map("field", "label", "type", "nominal"),
                Vl.map("field", "start", "type", "quantitative", "title", "start (ms)", "format", ".3f"),
                Vl.map("field", "end", "type", "quantitative", "title", "end (ms)", "format", ".3f"));
        Map<String, Object> bars = Vl.map(
                "transform", List.of(Vl.map("filter", "datum.kind === 'interval'")),
                "mark", Vl.map("type", "bar", "cornerRadius", 2, "height", 18),
                "encoding", Vl.map("y", y, "x", x, "x2", Vl.map("field", "end"),
                        "color", Vl.map("field", "colour", "type", "nominal", "title", null),
                        "tooltip", tooltip));
        Map<String, Object> events = Vl.map(
                "transform", List.of(Vl.map("filter", "datum.kind === 'event'")),
                "mark", Vl.map("type", "point", "shape", "diamond", "filled", true, "size", 90, "color", "#888888"),
                "encoding", Vl.map("y", y, "x", x, "tooltip", tooltip));
        Map<String, Object> labels = Vl.map(
                "transform", List.of(Vl.map("filter", "datum.kind === 'event'")),
                "mark", Vl.map("type", "text", "dy", -14, "color", "#888888"),
                "encoding", Vl.map("y", y, "x", x, "text", Vl.map("field", "label", "type", "nominal")));
        return Vl.frozen(Vl.map("$schema", Vl.SCHEMA, "title", title, "width", 560,
                "height", Vl.map("step", 34),
                "data", Vl.map("values", values), "layer", List.of(bars, events, labels)));
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).vegaLite(vegaLite()).with(MimeBundle.SVG, svg()).build();
    }

    /** A text chart (one row of 60 columns per lane) and then every item with its times. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(title).append('\n');
        double end = Math.max(1e-9, items.stream().mapToDouble(i -> ms(i.end)).max().orElse(1));
        int cols = 60;
        int laneW = lanes.stream().mapToInt(String::length).max().orElse(4);
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(items.stream().filter(i -> !i.event).map(Item::colour).toList()));
        for (String lane : lanes) {
            char[] row = " ".repeat(cols + 1).toCharArray();
            for (Item i : items) {
                if (!i.lane.equals(lane)) {
                    continue;
                }
                int a = (int) Math.round(ms(i.start) / end * cols);
                int b = (int) Math.round(ms(i.end) / end * cols);
                if (i.event) {
                    row[a] = '|';
                } else {
                    char c = (char) ('A' + Math.min(25, keys.indexOf(i.colour)));
                    for (int k = a; k <= Math.max(a, b - 1) && k < row.length; k++) {
                        row[k] = c;
                    }
                }
            }
            out.append(String.format("%-" + laneW + "s [", lane)).append(new String(row).stripTrailing()).append('\n');
        }
        out.append(" ".repeat(laneW + 2)).append("0 ms").append(" ".repeat(Math.max(1, cols - 10)))
                .append(String.format(Locale.ROOT, "%.3f ms", end)).append('\n');
        for (int k = 0; k < keys.size(); k++) {
            out.append("  ").append((char) ('A' + Math.min(25, k))).append(" = ").append(keys.get(k)).append('\n');
        }
        for (Item i : items) {
            out.append(String.format(Locale.ROOT, "%-" + laneW + "s %10.3f %10s  %s%n", i.lane, ms(i.start),
                    i.event ? "" : String.format(Locale.ROOT, "%10.3f", ms(i.end)), i.label));
        }
        return out.toString();
    }

    /** The static picture: one row per lane, bars coloured by label, diamonds for events, a ms axis. */
    String svg() {
        double laneW = 20 + lanes.stream().mapToInt(String::length).max().orElse(4) * Svg.CHAR;
        double left = laneW + 10;
        double plotW = 560;
        double rowH = 34;
        double top = 44;
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(items.stream().filter(i -> !i.event).map(Item::colour).toList()));
        double height = top + lanes.size() * rowH + 50 + 18 * ((keys.size() + 3) / 4);
        double width = left + plotW + 30;
        Svg svg = new Svg(width, height);
        svg.text(width / 2, 24, title, "middle", Svg.INK, true);
        double end = Math.max(1e-6, items.stream().mapToDouble(i -> ms(i.end)).max().orElse(1));
        double[] ticks = Svg.ticks(0, end, 6);
        double span = ticks[ticks.length - 1];
        java.util.function.DoubleUnaryOperator sx = v -> left + v / span * plotW;
        double bottom = top + lanes.size() * rowH;
        for (double t : ticks) {
            svg.line(sx.applyAsDouble(t), top, sx.applyAsDouble(t), bottom, Svg.GRID, 1, false);
            svg.text(sx.applyAsDouble(t), bottom + 16, Svg.tick(t), "middle", Svg.MUTED, false);
        }
        svg.text(left + plotW / 2, bottom + 32, "time since first (ms)", "middle", Svg.INK, false);
        for (int l = 0; l < lanes.size(); l++) {
            double cy = top + l * rowH + rowH / 2;
            svg.text(laneW, cy + 4, lanes.get(l), "end", Svg.INK, false);
            for (Item i : items) {
                if (!i.lane.equals(lanes.get(l))) {
                    continue;
                }
                String tip = i.lane + ": " + i.label + String.format(Locale.ROOT, " %.3f", ms(i.start))
                        + (i.event ? "" : String.format(Locale.ROOT, "–%.3f", ms(i.end))) + " ms";
                double xa = sx.applyAsDouble(ms(i.start));
                if (i.event) {
                    svg.polygon("#555555", xa, cy - 7, xa + 6, cy, xa, cy + 7, xa - 6, cy);
                    svg.text(xa, cy - 10, i.label, "middle", Svg.INK, false);
                } else {
                    double w = Math.max(2, sx.applyAsDouble(ms(i.end)) - xa);
                    svg.rect(xa, cy - 9, w, 18, Svg.series(keys.indexOf(i.colour)), null, tip);
                    if (w > i.label.length() * Svg.CHAR + 6) {
                        svg.text(xa + 3, cy + 4, i.label, "start", "#ffffff", false);
                    }
                }
            }
        }
        for (int k = 0; k < keys.size(); k++) {
            double lx = left + (k % 4) * (plotW / 4);
            double ly = bottom + 48 + (k / 4) * 18;
            svg.rect(lx, ly - 9, 12, 12, Svg.series(k), null, null);
            svg.text(lx + 16, ly + 1, keys.get(k), "start", Svg.INK, false);
        }
        return svg.end();
    }
}

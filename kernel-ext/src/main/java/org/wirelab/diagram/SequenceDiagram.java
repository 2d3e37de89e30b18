package org.wirelab.diagram;

import org.wirelab.wire.Printable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.dissect.PacketCapture;
import org.wirelab.wire.TcpFlags;

/**
 * Who sent what, when, on which connection: a sequence diagram.
 *
 * <p>The bundle holds {@code text/vnd.mermaid} (drawn by JupyterLab 4.1+), an
 * {@code image/svg+xml} picture for GitHub and front ends without Mermaid, and an ASCII drawing
 * as {@code text/plain}. It holds no {@code text/html} on purpose: JupyterLab ranks its HTML
 * renderer (50) before Mermaid (61), so HTML would hide the diagram; SVG ranks 80, after Mermaid.
 *
 * <pre>{@code
 * SequenceDiagram.newBuilder().participant("client").participant("server")
 *     .message("client", "server", "SYN seq=0", t0)
 *     .message("server", "client", "SYN-ACK seq=0 ack=1", t1)
 *     .build()
 * }</pre>
 */
public final class SequenceDiagram implements Rich {

    /** Messages and notes drawn at most: {@value}; later ones are counted in a closing note. */
    public static final int MAX_STEPS = 500;
    private static final int MAX_LABEL = 120;
    private static final int MAX_OUTPUT = 200_000;

    record Step(int from, int to, String label, Instant time, String connection, boolean note) {
    }

    private final List<String> participants;
    private final List<Step> steps;
    private final int hidden;

    private SequenceDiagram(List<String> participants, List<Step> steps, int hidden) {
        this.participants = participants;
        this.steps = steps;
        this.hidden = hidden;
    }

    /** Starts an empty diagram. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * The TCP segments of {@code capture} between their endpoints, each arrow labelled with the
     * flags and the raw sequence and acknowledgment numbers, e.g.
     * {@code "SYN seq_raw=3517288269 len=0"}, {@code "SYN, ACK seq_raw=1029384756 ack_raw=3517288270 len=0"}.
     */
    public static SequenceDiagram of(PacketCapture capture) {
        Builder builder = newBuilder();
        List<Dissection> packets = capture.packets();
        Instant last = Instant.EPOCH;
        for (int i = 0; i < packets.size(); i++) {
            Dissection p = packets.get(i);
            if (p.field("tcp.srcport").isEmpty()) {
                continue;
            }
            String src = endpoint(p, "src", "tcp.srcport");
            String dst = endpoint(p, "dst", "tcp.dstport");
            // a packet with no time (pcapng Simple Packet Block) is drawn at the time of the one before
            Instant t = capture.time(i + 1).orElse(last);
            last = t;
            builder.message(src, dst, segmentLabel(p), t, "frame " + (i + 1));
            if (i == 0 && capture.label().isPresent()) {
                builder.note(capture.label().get());
            }
        }
        return builder.build();
    }

    static String segmentLabel(Dissection p) {
        int flags = Integer.decode(p.value("tcp.flags"));
        StringBuilder label = new StringBuilder(TcpFlags.text(flags));
        label.append(" seq_raw=").append(p.value("tcp.seq_raw"));
        if ((flags & TcpFlags.ACK) != 0) {
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

    /**
     * What a tap recorded, as seen by the two programs it sits between: every connect, every
     * chunk of bytes (labelled by its HTTP first line or its WebSocket frames), every FIN and RST,
     * on the connection it belongs to, e.g. {@code SequenceDiagram.of(tap.recording())}.
     */
    public static SequenceDiagram of(org.wirelab.tap.Recording recording) {
        Builder b = newBuilder().participant("client").participant("server");
        WireLabels labels = new WireLabels();
        for (org.wirelab.tap.TapEvent e : recording.events()) {
            org.wirelab.tap.Connection c = recording.connection(e.connection());
            String conn = "#" + c.id();
            // OPEN (no direction of its own) is drawn from the client, which connects
            boolean up = e.direction().orElse(org.wirelab.wire.Direction.CLIENT_TO_SERVER) == org.wirelab.wire.Direction.CLIENT_TO_SERVER;
            String from = up ? "client" : "server";
            String to = up ? "server" : "client";
            switch (e.kind()) {
                case OPEN -> b.message("client", "server", "connect (TCP handshake)", e.time(), conn);
                case DATA -> b.message(from, to, labels.label(c, e), e.time(), conn);
                case FIN -> b.message(from, to, "FIN", e.time(), conn);
                case RESET -> b.message(from, to, "RST", e.time(), conn);
                case CLOSE -> b.note("connection " + conn + " closed");
                default -> { }
            }
        }
        return b.build();
    }


    /** Collects participants (left to right) and steps (top to bottom). */
    public static final class Builder {
        private final List<String> participants = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private int dropped;

        Builder() {
        }

        /** Adds a lifeline, e.g. {@code "client"}; message senders not declared are added on first use. */
        public Builder participant(String name) {
            index(name);
            return this;
        }

        /** A message from one participant to another at {@code time}, e.g. {@code "GET / HTTP/1.1 (78 bytes)"}. */
        public Builder message(String from, String to, String label, Instant time) {
            return message(from, to, label, time, null);
        }

        /** A message on a named connection, e.g. {@code "49152→8080"}; {@code null} for none. */
        public Builder message(String from, String to, String label, Instant time, String connection) {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(time, "time");
            return add(new Step(index(from), index(to), label, time, connection, false));
        }

        private Builder add(Step s) {
            if (steps.size() < MAX_STEPS) {
                steps.add(s);
            } else {
                dropped++;
            }
            return this;
        }

        /** A note over one participant, e.g. {@code note("server", "upgrade to WebSocket")}. */
        public Builder note(String over, String text) {
            int i = index(over);
            return add(new Step(i, i, Objects.requireNonNull(text, "text"), null, null, true));
        }

        /** A note across all participants, e.g. {@code note("connection closed")}. */
        public Builder note(String text) {
            return add(new Step(0, Math.max(0, participants.size() - 1), Objects.requireNonNull(text, "text"),
                    null, null, true));
        }


        private int index(String name) {
            Objects.requireNonNull(name, "participant");
            int i = participants.indexOf(name);
            if (i < 0) {
                participants.add(name);
                i = participants.size() - 1;
            }
            return i;
        }

        /** The diagram; steps past {@link #MAX_STEPS} are counted, not drawn. */
        public SequenceDiagram build() {
            List<String> ps = participants.isEmpty() ? List.of("(nobody)") : List.copyOf(participants);
            return new SequenceDiagram(ps, List.copyOf(steps), dropped);
        }
    }

    @Override
    public Map<String, Object> mimeBundle() {
        SequenceDiagram d = this;
        while (true) {
            String text = d.toString();
            String mermaid = d.mermaid();
            String svg = d.svg();
            if (d.steps.size() <= 1 || (utf8(text) <= MAX_OUTPUT && utf8(mermaid) <= MAX_OUTPUT && utf8(svg) <= MAX_OUTPUT)) {
                return MimeBundle.text(text).mermaid(mermaid).with(MimeBundle.SVG, svg).build();
            }
            int keep = d.steps.size() / 2;
            d = new SequenceDiagram(participants, d.steps.subList(0, keep), d.hidden + d.steps.size() - keep);
        }
    }

    private Instant start() {
        return steps.stream().map(Step::time).filter(Objects::nonNull).findFirst().orElse(null);
    }

    static String elapsed(Instant start, Instant t) {
        return String.format(Locale.ROOT, "+%.3f ms", Duration.between(start, t).toNanos() / 1e6);
    }

    private String text(Step s, Instant start) {
        String label = shorten(s.label);
        if (s.note) {
            return label;
        }
        return label + (s.connection == null ? "" : " [" + shorten(s.connection) + "]");
    }

    private static String shorten(String s) {
        String one = Printable.oneLine(s);
        return one.length() <= MAX_LABEL ? one : one.substring(0, MAX_LABEL - 1) + "…";
    }

    /** Mermaid {@code sequenceDiagram} source; labels use Mermaid entity codes for special characters. */
    public String mermaid() {
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        for (int i = 0; i < participants.size(); i++) {
            out.append("    participant p").append(i).append(" as ").append(escapeMermaid(participants.get(i))).append('\n');
        }
        Instant start = start();
        for (Step s : steps) {
            if (s.note) {
                out.append("    Note over p").append(s.from);
                if (s.to != s.from) {
                    out.append(",p").append(s.to);
                }
                out.append(": ").append(escapeMermaid(text(s, start))).append('\n');
            } else {
                out.append("    p").append(s.from).append("->>p").append(s.to).append(": ")
                        .append(escapeMermaid(text(s, start) + " " + elapsed(start, s.time))).append('\n');
            }
            if (out.length() > MAX_OUTPUT - 200) {
                out.append("    Note over p0: output cut at ").append(MAX_OUTPUT).append(" bytes\n");
                return out.toString();
            }
        }
        if (hidden > 0) {
            out.append("    Note over p0: ").append(hidden).append(" more messages not drawn\n");
        }
        return out.toString();
    }

    /**
     * Makes {@code s} safe in a Mermaid label: characters that end a statement, start a comment or
     * an entity, or read as arrows or markup ({@code ; # % : < > & " { } [ ] \}) become entity
     * codes such as {@code #59;}.
     */
    static String escapeMermaid(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case ';', '#', '%', ':', '<', '>', '&', '"', '{', '}', '\\', '`', '|' ->
                        out.append('#').append((int) c).append(';');
                case '\r', '\n', '\t' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The ASCII drawing: one column per participant, one line per message, time on the left. */
    @Override
    public String toString() {
        int n = participants.size();
        Instant start = start();
        int[] gap = new int[Math.max(1, n)];
        Arrays.fill(gap, 0);
        for (int i = 0; i < n; i++) {
            gap[i] = Math.max(14, participants.get(i).length() + 4);
        }
        for (Step s : steps) {
            int lo = Math.min(s.from, s.to);
            int hi = Math.max(s.from, s.to);
            int need = text(s, start).length() + 8;
            if (lo == hi) {
                gap[lo] = Math.max(gap[lo], need + 2);
            } else {
                int have = 0;
                for (int k = lo; k < hi; k++) {
                    have += gap[k];
                }
                if (have < need) {
                    gap[hi - 1] += need - have;
                }
            }
        }
        int[] x = new int[n];
        int pos = Math.max(13, participants.get(0).length() / 2 + 1);
        for (int i = 0; i < n; i++) {
            x[i] = pos;
            pos += gap[i];
        }
        int width = pos + 2;
        StringBuilder out = new StringBuilder();
        char[] row = blank(width, x, ' ');
        for (int i = 0; i < n; i++) {
            put(row, x[i] - participants.get(i).length() / 2, participants.get(i));
        }
        out.append(trim(row)).append('\n');
        out.append(trim(blank(width, x, '|'))).append('\n');
        for (Step s : steps) {
            row = blank(width, x, '|');
            String label = text(s, start);
            if (s.note) {
                int lo = Math.min(s.from, s.to);
                int hi = Math.max(s.from, s.to);
                String boxed = "[ " + label + " ]";
                int center = (x[lo] + x[hi]) / 2;
                put(row, Math.max(0, center - boxed.length() / 2), boxed);
            } else {
                put(row, 0, String.format(Locale.ROOT, "%12s", elapsed(start, s.time)));
                if (s.from == s.to) {
                    put(row, x[s.from] + 1, "--' " + label);
                } else {
                    int a = x[s.from];
                    int b = x[s.to];
                    int lo = Math.min(a, b);
                    int hi = Math.max(a, b);
                    for (int k = lo + 1; k < hi; k++) {
                        row[k] = '-';
                    }
                    if (b > a) {
                        row[hi - 1] = '>';
                    } else {
                        row[lo + 1] = '<';
                    }
                    put(row, lo + 3, " " + label + " ");
                }
            }
            out.append(trim(row)).append('\n');
            if (out.length() > MAX_OUTPUT / 3) {
                out.append("... output cut\n");
                return out.toString();
            }
        }
        if (hidden > 0) {
            out.append("... ").append(hidden).append(" more messages not drawn\n");
        }
        return out.toString();
    }

    private static char[] blank(int width, int[] x, char lifeline) {
        char[] row = new char[width];
        Arrays.fill(row, ' ');
        for (int xi : x) {
            row[xi] = lifeline;
        }
        return row;
    }

    private static void put(char[] row, int at, String s) {
        for (int i = 0; i < s.length() && at + i < row.length; i++) {
            if (at + i >= 0) {
                row[at + i] = s.charAt(i);
            }
        }
    }

    private static String trim(char[] row) {
        return new String(row).replaceAll("\\s+$", "");
    }

    /** The static picture: boxes, dashed lifelines, arrows with labels, times on the left. */
    String svg() {
        int n = participants.size();
        Instant start = start();
        double[] gap = new double[n];
        for (int i = 0; i < n; i++) {
            gap[i] = Math.max(150, participants.get(i).length() * Svg.CHAR + 40);
        }
        for (Step s : steps) {
            int lo = Math.min(s.from, s.to);
            int hi = Math.max(s.from, s.to);
            double need = text(s, start).length() * Svg.CHAR + 30;
            if (lo == hi) {
                gap[lo] = Math.max(gap[lo], need + 40);
            } else {
                double have = 0;
                for (int k = lo; k < hi; k++) {
                    have += gap[k];
                }
                if (have < need) {
                    gap[hi - 1] += need - have;
                }
            }
        }
        double left = 100;
        double[] x = new double[n];
        double pos = left + Math.max(60, participants.get(0).length() * Svg.CHAR / 2 + 12);
        for (int i = 0; i < n; i++) {
            x[i] = pos;
            pos += gap[i];
        }
        double width = x[n - 1] + Math.max(80, participants.get(n - 1).length() * Svg.CHAR / 2 + 20);
        for (Step s : steps) {
            if (s.from == s.to && !s.note) {
                width = Math.max(width, x[s.from] + 40 + text(s, start).length() * Svg.CHAR);
            }
        }
        double top = 50;
        double rowH = 34;
        int rows = steps.size() + (hidden > 0 ? 1 : 0);
        double height = top + 20 + rows * rowH + 60;
        Svg svg = new Svg(width, height);
        double lifelineEnd = height - 40;
        for (int i = 0; i < n; i++) {
            String name = participants.get(i);
            double w = name.length() * Svg.CHAR + 20;
            svg.line(x[i], top, x[i], lifelineEnd, "#999999", 1, true);
            for (double y : new double[] {12, lifelineEnd}) {
                svg.rect(x[i] - w / 2, y, w, 26, "#eef2f8", "#4c78a8", null);
                svg.text(x[i], y + 17, name, "middle", Svg.INK, true);
            }
        }
        double y = top + 24;
        for (Step s : steps) {
            String label = text(s, start);
            if (s.note) {
                double lo = x[Math.min(s.from, s.to)];
                double hi = x[Math.max(s.from, s.to)];
                double w = Math.max(hi - lo + 60, label.length() * Svg.CHAR + 16);
                double c = (lo + hi) / 2;
                svg.rect(c - w / 2, y - 6, w, 22, "#fff5c2", "#c9a400", null);
                svg.text(c, y + 9, label, "middle", Svg.INK, false);
            } else {
                String when = elapsed(start, s.time);
                svg.text(8, y + 10, when, "start", Svg.MUTED, false);
                String tip = participants.get(s.from) + " → " + participants.get(s.to) + ": " + label + " at " + when;
                if (s.from == s.to) {
                    svg.selfArrow(x[s.from], y + 6, Svg.INK, tip);
                    svg.text(x[s.from] + 36, y + 10, label, "start", Svg.INK, false);
                } else {
                    svg.arrow(x[s.from], x[s.to], y + 12, Svg.INK, tip);
                    svg.text((x[s.from] + x[s.to]) / 2, y + 6, label, "middle", Svg.INK, false);
                }
            }
            y += rowH;
            if (svg.length() > MAX_OUTPUT - 2_000) {
                svg.text(8, y + 10, "output cut at " + MAX_OUTPUT + " bytes", "start", "#c00000", false);
                return svg.end();
            }
        }
        if (hidden > 0) {
            svg.text(8, y + 10, hidden + " more messages not drawn", "start", Svg.MUTED, false);
        }
        return svg.end();
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

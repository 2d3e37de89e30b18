package org.wirelab.diagram;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.tcp.TcpState;
import org.wirelab.tcp.TcpStateHistory;

/**
 * The TCP connection state diagram of RFC 9293 §3.3.2 (figure 5) with the states a
 * {@link TcpStateHistory} saw marked on it, socket by socket. Each socket gets a letter; a state
 * seen in {@code /proc/net/tcp} carries the letter and the order it was seen in ({@code B2}: the
 * second state seen of socket B). Sampling misses short states: when two states seen one after the
 * other are not joined by one transition, the states between them on the shortest path are marked
 * as passed but not seen ({@code (B)}), and said to be inferred.
 *
 * <pre>{@code
 * TcpStateMachine.of(watch.stop())
 * }</pre>
 */
public final class TcpStateMachine implements Rich {

    /** The eleven states of RFC 9293 §3.3.2, by their RFC names. */
    enum Node {
        CLOSED("CLOSED"), LISTEN("LISTEN"), SYN_SENT("SYN-SENT"), SYN_RECEIVED("SYN-RECEIVED"), ESTABLISHED("ESTABLISHED"),
        FIN_WAIT_1("FIN-WAIT-1"), FIN_WAIT_2("FIN-WAIT-2"), CLOSE_WAIT("CLOSE-WAIT"), CLOSING("CLOSING"),
        LAST_ACK("LAST-ACK"), TIME_WAIT("TIME-WAIT");

        final String rfc;

        Node(String rfc) {
            this.rfc = rfc;
        }

        static Node of(TcpState s) {
            return switch (s) {
                case ESTABLISHED -> ESTABLISHED;
                case SYN_SENT -> SYN_SENT;
                case SYN_RECV, NEW_SYN_RECV -> SYN_RECEIVED;
                case FIN_WAIT1 -> FIN_WAIT_1;
                case FIN_WAIT2 -> FIN_WAIT_2;
                case TIME_WAIT -> TIME_WAIT;
                case CLOSE -> CLOSED;
                case CLOSE_WAIT -> CLOSE_WAIT;
                case LAST_ACK -> LAST_ACK;
                case LISTEN -> LISTEN;
                case CLOSING -> CLOSING;
            };
        }
    }

    /** One arrow of the diagram: the event that takes it and the action taken, as RFC 9293 §3.3.2 lists them. */
    record Edge(Node from, Node to, String event) {
    }

    static final List<Edge> EDGES = List.of(
            new Edge(Node.CLOSED, Node.LISTEN, "passive OPEN"),
            new Edge(Node.CLOSED, Node.SYN_SENT, "active OPEN / send SYN"),
            new Edge(Node.LISTEN, Node.SYN_RECEIVED, "receive SYN / send SYN,ACK"),
            new Edge(Node.LISTEN, Node.SYN_SENT, "SEND / send SYN"),
            new Edge(Node.LISTEN, Node.CLOSED, "CLOSE"),
            new Edge(Node.SYN_SENT, Node.SYN_RECEIVED, "receive SYN / send SYN,ACK (simultaneous open)"),
            new Edge(Node.SYN_SENT, Node.ESTABLISHED, "receive SYN,ACK / send ACK"),
            new Edge(Node.SYN_SENT, Node.CLOSED, "CLOSE"),
            new Edge(Node.SYN_RECEIVED, Node.ESTABLISHED, "receive ACK of SYN"),
            new Edge(Node.SYN_RECEIVED, Node.LISTEN, "receive RST (it came from LISTEN)"),
            new Edge(Node.SYN_RECEIVED, Node.FIN_WAIT_1, "CLOSE / send FIN"),
            new Edge(Node.ESTABLISHED, Node.FIN_WAIT_1, "CLOSE / send FIN (active close)"),
            new Edge(Node.ESTABLISHED, Node.CLOSE_WAIT, "receive FIN / send ACK (passive close)"),
            new Edge(Node.FIN_WAIT_1, Node.FIN_WAIT_2, "receive ACK of FIN"),
            new Edge(Node.FIN_WAIT_1, Node.CLOSING, "receive FIN / send ACK (simultaneous close)"),
            new Edge(Node.FIN_WAIT_1, Node.TIME_WAIT, "receive FIN with the ACK of own FIN / send ACK (§3.10.7.4; not drawn in figure 5)"),
            new Edge(Node.FIN_WAIT_2, Node.TIME_WAIT, "receive FIN / send ACK"),
            new Edge(Node.CLOSING, Node.TIME_WAIT, "receive ACK of FIN"),
            new Edge(Node.CLOSE_WAIT, Node.LAST_ACK, "CLOSE / send FIN"),
            new Edge(Node.LAST_ACK, Node.CLOSED, "receive ACK of FIN"),
            new Edge(Node.TIME_WAIT, Node.CLOSED, "timeout 2 MSL"));

    /** Where each state sits: row, column of a 3-column grid laid out as figure 5 reads, top to bottom. */
    private static final Node[][] GRID = {
        {null, Node.CLOSED, null},
        {null, Node.LISTEN, null},
        {Node.SYN_RECEIVED, null, Node.SYN_SENT},
        {null, Node.ESTABLISHED, null},
        {Node.FIN_WAIT_1, null, Node.CLOSE_WAIT},
        {Node.FIN_WAIT_2, Node.CLOSING, Node.LAST_ACK},
        {null, Node.TIME_WAIT, null},
    };

    private final Map<String, String> sockets;
    private final Map<Node, List<String>> seen;
    private final Map<Node, Set<String>> inferred;
    private final Map<Edge, Set<String>> taken;
    private final Map<Edge, Set<String>> guessed;

    private TcpStateMachine(Map<String, String> sockets, Map<Node, List<String>> seen, Map<Node, Set<String>> inferred,
            Map<Edge, Set<String>> taken, Map<Edge, Set<String>> guessed) {
        this.sockets = sockets;
        this.seen = seen;
        this.inferred = inferred;
        this.taken = taken;
        this.guessed = guessed;
    }

    /** The diagram with every socket of {@code history} marked, e.g. {@code of(watch.stop())}. */
    public static TcpStateMachine of(TcpStateHistory history) {
        Map<String, List<TcpState>> paths = new LinkedHashMap<>();
        Map<String, String> sockets = new LinkedHashMap<>();
        char letter = 'A';
        for (Map.Entry<List<InetSocketAddress>, List<TcpStateHistory.Transition>> e : history.connections().entrySet()) {
            String id = letter <= 'Z' ? String.valueOf(letter) : "S" + (letter - 'A');
            letter++;
            InetSocketAddress local = e.getKey().get(0);
            InetSocketAddress remote = e.getKey().get(1);
            sockets.put(id, local.getAddress().getHostAddress() + ":" + local.getPort() + " → "
                    + (remote.getPort() == 0 ? "*:* (a listening socket)" : remote.getAddress().getHostAddress() + ":" + remote.getPort()));
            paths.put(id, e.getValue().stream().map(TcpStateHistory.Transition::state).toList());
        }
        return of(sockets, paths);
    }

    /** The diagram for named sockets and the states each was seen in, in order, e.g. {@code {"A": [ESTABLISHED, TIME_WAIT]}}. */
    static TcpStateMachine of(Map<String, String> sockets, Map<String, List<TcpState>> paths) {
        Map<Node, List<String>> seen = new EnumMap<>(Node.class);
        Map<Node, Set<String>> inferred = new EnumMap<>(Node.class);
        Map<Edge, Set<String>> taken = new LinkedHashMap<>();
        Map<Edge, Set<String>> guessed = new LinkedHashMap<>();
        paths.forEach((id, states) -> {
            List<Node> nodes = new ArrayList<>();
            for (TcpState s : states) {
                Node n = Node.of(s);
                if (nodes.isEmpty() || nodes.get(nodes.size() - 1) != n) {
                    nodes.add(n);
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                seen.computeIfAbsent(nodes.get(i), k -> new ArrayList<>()).add(id + (i + 1));
                if (i == 0) {
                    continue;
                }
                List<Edge> path = shortestPath(nodes.get(i - 1), nodes.get(i));
                if (path.size() == 1) {
                    taken.computeIfAbsent(path.get(0), k -> new LinkedHashSet<>()).add(id);
                } else {
                    for (int j = 0; j < path.size(); j++) {
                        guessed.computeIfAbsent(path.get(j), k -> new LinkedHashSet<>()).add(id);
                        if (j > 0) {
                            inferred.computeIfAbsent(path.get(j).from(), k -> new LinkedHashSet<>()).add(id);
                        }
                    }
                }
            }
        });
        return new TcpStateMachine(sockets, seen, inferred, taken, guessed);
    }

    /** The fewest transitions from {@code from} to {@code to}; empty when none leads there. */
    static List<Edge> shortestPath(Node from, Node to) {
        Map<Node, Edge> via = new EnumMap<>(Node.class);
        ArrayDeque<Node> queue = new ArrayDeque<>(List.of(from));
        Set<Node> visited = new LinkedHashSet<>(List.of(from));
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            if (n == to) {
                break;
            }
            for (Edge e : EDGES) {
                if (e.from() == n && visited.add(e.to())) {
                    via.put(e.to(), e);
                    queue.add(e.to());
                }
            }
        }
        List<Edge> path = new ArrayList<>();
        for (Node n = to; via.containsKey(n) && n != from; n = via.get(n).from()) {
            path.add(0, via.get(n));
        }
        return path;
    }

    private String mark(Node n) {
        List<String> s = seen.getOrDefault(n, List.of());
        Set<String> i = inferred.getOrDefault(n, Set.of());
        StringBuilder m = new StringBuilder();
        if (!s.isEmpty()) {
            m.append(" [").append(String.join(" ", s)).append(']');
        }
        if (!i.isEmpty()) {
            m.append(" (").append(String.join(" ", i)).append(')');
        }
        return m.toString();
    }

    /** The grid of states with their marks, the sockets, then every transition and who took it. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("RFC 9293 §3.3.2 TCP state diagram (figure 5): [A2] socket A was seen in this state,"
                + " 2nd; (A) it passed through between two samples; a socket seen CLOSED had left the kernel's table\n");
        int w = 2;
        for (Node[] row : GRID) {
            for (Node n : row) {
                if (n != null) {
                    w = Math.max(w, n.rfc.length() + mark(n).length() + 2);
                }
            }
        }
        for (Node[] row : GRID) {
            StringBuilder line = new StringBuilder();
            for (Node n : row) {
                line.append(String.format("%-" + w + "s", n == null ? "" : n.rfc + mark(n)));
            }
            out.append("  ").append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n');
        sockets.forEach((id, what) -> out.append(id).append(" = ").append(what).append('\n'));
        if (sockets.isEmpty()) {
            out.append("(no sockets seen)\n");
        }
        out.append('\n');
        int ew = EDGES.stream().mapToInt(e -> (e.from().rfc + " → " + e.to().rfc).length()).max().orElse(0);
        for (Edge e : EDGES) {
            out.append(String.format("%-" + ew + "s  %-8s %s%n", e.from().rfc + " → " + e.to().rfc, took(e), e.event()));
        }
        return out.toString().stripTrailing();
    }

    /** Who took {@code e}: {@code A} seen on both ends, {@code (A)} inferred between samples. */
    private String took(Edge e) {
        List<String> who = new ArrayList<>(taken.getOrDefault(e, Set.of()));
        guessed.getOrDefault(e, Set.of()).forEach(id -> who.add("(" + id + ")"));
        return String.join(" ", who);
    }

    private String html() {
        String box = "display:inline-block;min-width:9em;padding:3px 8px;margin:3px;border-radius:4px;text-align:center;";
        StringBuilder out = new StringBuilder("<div class=\"wl-tcp-machine\" style=\"font-family:monospace\">"
                + "<div class=\"wl-meta\">RFC 9293 §3.3.2 TCP state diagram (figure 5). Filled: seen in <code>/proc/net/tcp</code>"
                + " (A2 = socket A, 2nd state seen; CLOSED: it left the table); dashed: passed through between two samples</div>"
                + "<table class=\"wl-grid\" style=\"margin:0;border-collapse:collapse\">");
        for (Node[] row : GRID) {
            out.append("<tr>");
            for (Node n : row) {
                out.append("<td style=\"text-align:center;vertical-align:middle;padding:0;border:none;width:15em\">");
                if (n != null) {
                    boolean s = seen.containsKey(n);
                    boolean i = inferred.containsKey(n);
                    String style = s ? "background-color:rgba(60,179,113,0.45);border:2px solid rgba(46,125,50,0.9);font-weight:bold;"
                            : i ? "background-color:rgba(255,200,0,0.2);border:2px dashed rgba(178,106,0,0.9);"
                            : "border:1px solid rgba(128,128,128,0.6);opacity:0.6;";
                    out.append("<div class=\"wl-state").append(s ? " wl-seen" : i ? " wl-inferred" : "").append("\" style=\"")
                            .append(box).append(style).append("\">").append(n.rfc);
                    String m = mark(n).strip();
                    if (!m.isEmpty()) {
                        out.append("<br><span class=\"wl-meta\" style=\"font-weight:normal\">").append(Html.escape(m)).append("</span>");
                    }
                    out.append("</div>");
                }
                out.append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</table><table class=\"wl-legend\" style=\"margin:4px 0 0 0;border-collapse:collapse\">");
        sockets.forEach((id, what) -> out.append("<tr><td style=\"text-align:left;padding:0 6px 0 0\"><b>").append(id)
                .append("</b></td><td style=\"text-align:left;padding:0\">").append(Html.escape(what)).append("</td></tr>"));
        out.append("</table><details class=\"wl-edges\"><summary>transitions of figure 5, and which socket took each</summary>"
                + "<table style=\"margin:0;border-collapse:collapse\">");
        for (Edge e : EDGES) {
            String who = took(e);
            String style = taken.containsKey(e) ? "background-color:rgba(60,179,113,0.3);"
                    : guessed.containsKey(e) ? "background-color:rgba(255,200,0,0.2);" : "";
            out.append("<tr style=\"").append(style).append("\"><td style=\"text-align:left;padding:0 6px\">")
                    .append(e.from().rfc).append(" → ").append(e.to().rfc).append("</td><td style=\"text-align:left;padding:0 6px\"><b>")
                    .append(Html.escape(who)).append("</b></td><td style=\"text-align:left;padding:0 6px\">").append(Html.escape(e.event()))
                    .append("</td></tr>");
        }
        return out.append("</table></details></div>").toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }
}

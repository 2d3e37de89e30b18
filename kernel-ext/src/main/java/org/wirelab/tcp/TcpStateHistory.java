package org.wirelab.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.display.Views;

/**
 * The state changes a {@link TcpStates.Watch} saw, per connection (local and remote address).
 * Sampling misses states shorter than the interval (FIN_WAIT1 usually lasts microseconds on
 * loopback); a connection gone from the kernel's table is recorded as {@link TcpState#CLOSE}.
 *
 * <pre>{@code
 * history.states(51234, 8080)     // [ESTABLISHED, FIN_WAIT2, TIME_WAIT]
 * }</pre>
 */
public final class TcpStateHistory implements Rich {

    /** One observed state and the time it was first seen, e.g. {@code +0.012 s TIME_WAIT}. */
    public record Transition(Instant time, TcpState state) {
    }

    private final Instant started;
    private final int[] ports;
    private final Map<List<InetSocketAddress>, List<Transition>> connections;
    private final String failure;

    TcpStateHistory(Instant started, int[] ports, Map<List<InetSocketAddress>, List<Transition>> seen, String failure) {
        this.started = started;
        this.ports = ports.clone();
        Map<List<InetSocketAddress>, List<Transition>> copy = new LinkedHashMap<>();
        seen.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.connections = java.util.Collections.unmodifiableMap(copy);
        this.failure = failure;
    }

    /** Every connection as {@code [local, remote]} with its transitions in time order. */
    public Map<List<InetSocketAddress>, List<Transition>> connections() {
        return connections;
    }

    /**
     * The states, in order, of the socket with {@code localPort} connected to {@code remotePort},
     * e.g. {@code states(51234, 8080)}; remote port 0 is a LISTEN socket; empty when never seen.
     */
    public List<TcpState> states(int localPort, int remotePort) {
        List<TcpState> out = new ArrayList<>();
        connections.forEach((k, v) -> {
            if (k.get(0).getPort() == localPort && k.get(1).getPort() == remotePort) {
                v.forEach(t -> out.add(t.state()));
            }
        });
        return out;
    }

    /**
     * The states drawn on a time line, one lane per socket ({@code local → remote}), each state a
     * bar from when it was first seen to the next one; the last state runs to the last sample.
     * Drawn by {@code Timeline.of(history)}, which this calls through {@link Views}.
     */
    public Rich timeline() {
        return Views.of("timeline", this);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html(html()).build();
    }

    /** One line per connection: {@code 127.0.0.1:51234 → 127.0.0.1:8080  +0.000 ESTABLISHED, +0.011 FIN_WAIT2}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("TCP state changes on ports " + Arrays.toString(ports)
                + " since " + started + (failure == null ? "" : " (sampling stopped: " + failure + ")") + "\n");
        connections.forEach((k, v) -> {
            out.append(String.format("%-50s ", TcpStates.address(k.get(0)) + " → " + TcpStates.address(k.get(1))));
            List<String> steps = new ArrayList<>();
            for (Transition t : v) {
                steps.add(offset(t.time()) + " " + t.state());
            }
            out.append(String.join(", ", steps)).append('\n');
        });
        if (connections.isEmpty()) {
            out.append("(no sockets seen)\n");
        }
        return out.toString().stripTrailing();
    }

    private String offset(Instant t) {
        Duration d = Duration.between(started, t);
        return String.format(Locale.ROOT, "+%.3f s", d.toNanos() / 1e9);
    }

    private String html() {
        StringBuilder out = new StringBuilder("<table class=\"wl-table wl-tcp-history\"><thead><tr>"
                + "<th>local</th><th>remote</th><th>time</th><th>state</th><th>RFC 9293</th></tr></thead><tbody>");
        connections.forEach((k, v) -> {
            for (Transition t : v) {
                out.append("<tr class=\"wl-tcp-").append(t.state().name().toLowerCase(Locale.ROOT)).append("\">")
                        .append("<td>").append(Html.escape(TcpStates.address(k.get(0)))).append("</td>")
                        .append("<td>").append(Html.escape(TcpStates.address(k.get(1)))).append("</td>")
                        .append("<td>").append(Html.escape(offset(t.time()))).append("</td>")
                        .append("<td>").append(t.state()).append("</td>")
                        .append("<td>").append(t.state().rfcName()).append("</td></tr>");
            }
        });
        return out.append("</tbody></table>").toString();
    }
}

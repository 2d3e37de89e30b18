package org.wirelab.tap;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * Everything a {@link Tap} saw, frozen at one moment: its connections in accept order.
 *
 * <pre>{@code
 * Recording r = tap.recording();
 * r.connection(1).text(Direction.SERVER_TO_CLIENT)   // "HTTP/1.1 101 Switching Protocols\r\n..."
 * }</pre>
 */
public final class Recording implements Rich {

    private final List<Connection> connections;
    private final Instant taken;

    Recording(List<Connection> connections, Instant taken) {
        this.connections = List.copyOf(connections);
        this.taken = taken;
    }

    /** All connections, ordered by id (1, 2, 3...). */
    public List<Connection> connections() {
        return connections;
    }

    /** Connection {@code id}, e.g. {@code connection(1)}; fails with the ids there are. */
    public Connection connection(int id) {
        for (Connection c : connections) {
            if (c.id() == id) {
                return c;
            }
        }
        throw new NoSuchElementException("tap: no connection #" + id + (connections.isEmpty()
                ? "; nothing has connected yet"
                : "; recorded #1..#" + connections.get(connections.size() - 1).id()));
    }

    /** When the snapshot was taken. */
    public Instant taken() {
        return taken;
    }

    /** The events of every connection merged in time order. */
    public List<TapEvent> events() {
        return connections.stream().flatMap(c -> c.events().stream())
                .sorted(Comparator.comparingLong(TapEvent::nanos)).toList();
    }

    /** The events of every connection in one direction, in time order. */
    public List<TapEvent> events(Direction direction) {
        return events().stream().filter(e -> e.direction() == direction).toList();
    }

    /** The events of every connection seen in {@code [from, to)}, in time order. */
    public List<TapEvent> events(Instant from, Instant to) {
        return events().stream().filter(e -> !e.time().isBefore(from) && e.time().isBefore(to)).toList();
    }

    /** Exact bytes in {@code direction} over all connections, e.g. {@code 78}. */
    public long bytes(Direction direction) {
        return connections.stream().mapToLong(c -> c.bytes(direction)).sum();
    }

    /** One line per connection, then each connection's events. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(connections.size()).append(connections.size() == 1 ? " connection" : " connections")
                .append(", ").append(bytes(Direction.CLIENT_TO_SERVER)).append(" B client → server, ")
                .append(bytes(Direction.SERVER_TO_CLIENT)).append(" B server → client\n");
        for (Connection c : connections) {
            out.append(c);
        }
        return out.toString();
    }

    /** text/plain as {@link #toString()}, text/html as a table of connections ({@code wl-tap-recording}). */
    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<div class=\"wl-tap-recording\">");
        html.append("<table class=\"wl-table wl-tap-connections\"><tr><th>#</th><th>client</th><th>server</th>"
                + "<th>client → server</th><th>server → client</th><th>state</th></tr>");
        for (Connection c : connections) {
            html.append("<tr><td>").append(c.id()).append("</td><td>").append(Html.escape(String.valueOf(c.client())))
                    .append("</td><td>").append(Html.escape(String.valueOf(c.server()))).append("</td><td>")
                    .append(Html.escape(c.summary(Direction.CLIENT_TO_SERVER))).append("</td><td>")
                    .append(Html.escape(c.summary(Direction.SERVER_TO_CLIENT))).append("</td><td>")
                    .append(c.isOpen() ? "open" : "closed").append("</td></tr>");
        }
        html.append("</table>");
        html.append(Connection.eventTable(events(), 200));
        html.append("</div>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }
}

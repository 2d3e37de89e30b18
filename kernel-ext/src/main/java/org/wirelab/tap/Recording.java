package org.wirelab.tap;

import org.wirelab.wire.Direction;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.pcap.PcapWriter;
import org.wirelab.pcap.TcpFlow;

/**
 * Everything a {@link Tap} saw, frozen at one moment: its connections in accept order.
 *
 * <pre>{@code
 * Recording r = tap.recording();
 * r.connection(1).printable(Direction.SERVER_TO_CLIENT)   // "HTTP/1.1 101 Switching Protocols\r\n..."
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

    /** Connection {@code id}, numbered from 1 in accept order like Wireshark's frames, e.g. {@code connection(1)}; fails with the ids there are. */
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
        return events().stream().filter(e -> e.direction().equals(Optional.of(direction))).toList();
    }

    /** The events of every connection seen in {@code [from, to)}, in time order. */
    public List<TapEvent> events(Instant from, Instant to) {
        return events().stream().filter(e -> !e.time().isBefore(from) && e.time().isBefore(to)).toList();
    }

    /** Exact bytes in {@code direction} over all connections, e.g. {@code 78}. */
    public long byteCount(Direction direction) {
        return connections.stream().mapToLong(c -> c.byteCount(direction)).sum();
    }

    /**
     * The label for a pcap made by {@link #savePcap}, for {@code PacketCapture.labelled}: {@value}.
     */
    public static final String SYNTHESIZED = "synthesized from the tap's recording, not captured: the payload bytes are the ones"
            + " that crossed, the segments and headers around them are rebuilt";

    /**
     * Writes every connection as a TCP flow (handshake, data, FIN or RST at the times the tap saw
     * them) to a classic pcap file that Wireshark opens, e.g. {@code r.savePcap(Path.of("tap.pcap"))}.
     * Addresses are the real client and server. Fails when the cap dropped bytes or events, since
     * the file would not hold the bytes that crossed the wire.
     */
    public Path savePcap(Path file) {
        for (Connection c : connections) {
            for (Direction d : Direction.values()) {
                if (c.dropped(d) > 0) {
                    throw new IllegalStateException("tap: connection #" + c.id() + " " + c.summary(d) + " (" + d
                            + "); start the tap with Tap.newBuilder().cap(...) above " + c.byteCount(d)
                            + " bytes to save it as pcap");
                }
            }
            if (c.droppedEvents() > 0) {
                throw new IllegalStateException("tap: connection #" + c.id() + " dropped " + c.droppedEvents()
                        + " events beyond the 10000 kept; its pcap would miss bytes");
            }
        }
        Map<Integer, TcpFlow> flows = new HashMap<>();
        Map<Integer, Boolean> ended = new HashMap<>();
        try (PcapWriter writer = PcapWriter.create(file)) {
            for (TapEvent e : events()) {
                int id = e.connection();
                if (e.kind() == TapEvent.Kind.OPEN) {
                    Connection c = connection(id);
                    flows.put(id, writer.tcp(c.client(), pcapServer(c), e.time()));
                    continue;
                }
                TcpFlow flow = flows.get(id);
                if (flow == null || ended.getOrDefault(id, false)) {
                    continue;
                }
                switch (e.kind()) {
                    case DATA -> flow.send(e.direction().orElseThrow(), e.bytes(), e.time());
                    case FIN -> flow.fin(e.direction().orElseThrow(), e.time());
                    case RESET -> {
                        flow.reset(e.direction().orElseThrow(), e.time());
                        ended.put(id, true);
                    }
                    default -> {
                        // CLOSE has no segment of its own: FIN or RST already ended the flow
                    }
                }
            }
        }
        return file;
    }

    // pcap flows need one address family: the real server when it matches the client, else the tap
    private static InetSocketAddress pcapServer(Connection c) {
        InetSocketAddress server = c.server();
        boolean sameFamily = server != null && !server.isUnresolved()
                && server.getAddress().getClass() == c.client().getAddress().getClass();
        return sameFamily ? server : c.tapClientSide();
    }

    /** One line per connection, then each connection's events. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(connections.size()).append(connections.size() == 1 ? " connection" : " connections")
                .append(", ").append(byteCount(Direction.CLIENT_TO_SERVER)).append(" B client → server, ")
                .append(byteCount(Direction.SERVER_TO_CLIENT)).append(" B server → client\n");
        long t0 = Connection.t0(events());
        for (Connection c : connections) {
            out.append(c.listing(t0));
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
        html.append(Connection.eventTable(events(), Connection.LISTED));
        html.append("</div>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }
}

package org.wirelab.tap;

import org.wirelab.wire.Direction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing the tap saw on a connection: it opened, bytes arrived, a side sent FIN or RST, it closed.
 *
 * <p>{@code offset} is the position in that direction's byte stream (the first byte the client
 * sends is offset 0), as Wireshark's relative sequence numbers minus one; e.g.
 * {@code #1 client → server DATA 78 B @0: GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n}.
 */
public final class TapEvent {

    /** What happened. */
    public enum Kind {
        /** Both legs connected: client to tap and tap to server (a SYN, SYN-ACK, ACK on each leg). */
        OPEN,
        /** Payload bytes read from one side and passed on to the other. */
        DATA,
        /** One side shut down its output (TCP FIN, RFC 9293 §3.6); the other direction keeps flowing. */
        FIN,
        /** Both legs are closed. */
        CLOSE,
        /** A side aborted with RST (or the tap sent one), passed on as RST to the other side. */
        RESET
    }

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final int connection;
    private final Kind kind;
    private final Direction direction;
    private final Instant time;
    private final long nanos;
    private final long offset;
    private final long length;
    private final byte[] bytes;
    private final String note;

    TapEvent(int connection, Kind kind, Direction direction, Instant time, long nanos, long offset,
             long length, byte[] bytes, String note) {
        this.connection = connection;
        this.kind = Objects.requireNonNull(kind);
        this.direction = direction;
        this.time = time;
        this.nanos = nanos;
        this.offset = offset;
        this.length = length;
        this.bytes = bytes == null ? new byte[0] : bytes;
        this.note = note == null ? "" : note;
    }

    TapEvent withBytes(byte[] kept) {
        return new TapEvent(connection, kind, direction, time, nanos, offset, length, kept, note);
    }

    /** The connection id, 1 for the first connection through the tap. */
    public int connection() {
        return connection;
    }

    /** OPEN, DATA, FIN, CLOSE or RESET. */
    public Kind kind() {
        return kind;
    }

    /**
     * The way the bytes or the FIN/RST went, e.g. {@code Optional[client → server]}; empty for OPEN
     * and CLOSE, which belong to the whole connection.
     */
    public Optional<Direction> direction() {
        return Optional.ofNullable(direction);
    }

    /** Wall-clock time the tap saw it, e.g. {@code 2026-11-25T10:40:00.123456Z}. */
    public Instant time() {
        return time;
    }

    /** {@link System#nanoTime()} when the tap saw it: subtract two of these for exact gaps. */
    public long nanos() {
        return nanos;
    }

    /** Stream offset in {@link #direction()} where this event starts, e.g. {@code 0} for the request line; 0 for OPEN and CLOSE. */
    public long offset() {
        return offset;
    }

    /** Payload length for DATA (e.g. {@code 78}), 0 for the others. */
    public long length() {
        return length;
    }

    /**
     * The payload of a DATA event; shorter than {@link #length()} when the recording cap dropped
     * part of it (a copy each call).
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether {@link #bytes()} holds the whole payload. */
    public boolean complete() {
        return bytes.length == length;
    }

    /** Extra words, e.g. {@code "sent by the tap (idle timeout)"}; empty by default. */
    public String note() {
        return note;
    }

    /** The payload as text with escapes ({@code \r\n}), or hex when binary; e.g. {@code "Hello"}. */
    public String printable() {
        return Preview.of(bytes, Integer.MAX_VALUE);
    }

    /** One annotated line, e.g. {@code #1 10:40:00.123456 client → server DATA 5 B @0: Hello}. */
    @Override
    public String toString() {
        return line(CLOCK.format(time), 1024);
    }

    /** Milliseconds since {@code t0Nanos} (another event's {@link #nanos()}), e.g. {@code +12.345 ms}. */
    String since(long t0Nanos) {
        return String.format(java.util.Locale.ROOT, "+%.3f ms", (nanos - t0Nanos) / 1e6);
    }

    /**
     * The line of a recording's listing: the time since {@code t0Nanos}, and the payload cut at
     * {@code preview} bytes, e.g. {@code #1 +0.412 ms client → server DATA 78 B @0: GET / HTTP/1.1\r\nHost… (46 more bytes)}.
     */
    String line(long t0Nanos, int preview) {
        return line(since(t0Nanos), preview);
    }

    private String line(String when, int preview) {
        StringBuilder out = new StringBuilder();
        out.append('#').append(connection).append(' ').append(when).append(' ');
        if (direction != null) {
            out.append(direction).append(' ');
        }
        out.append(kind);
        if (kind == Kind.DATA) {
            out.append(' ').append(length).append(" B @").append(offset).append(": ").append(Preview.of(bytes, preview));
            if (!complete() && bytes.length < length) {
                out.append(" [").append(length - bytes.length).append(" B not recorded]");
            }
        } else if (direction != null) {
            out.append(" @").append(offset);
        }
        if (!note.isEmpty()) {
            out.append(" (").append(note).append(')');
        }
        return out.toString();
    }
}

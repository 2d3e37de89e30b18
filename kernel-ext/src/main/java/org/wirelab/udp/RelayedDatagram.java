package org.wirelab.udp;

import org.wirelab.wire.Printable;
import org.wirelab.wire.Hex;
import java.time.Duration;
import org.wirelab.wire.Direction;

/**
 * One datagram that reached a {@link UdpRelay}, with what the relay did to it.
 *
 * @param seq       arrival number in its direction, from 1, e.g. {@code 3}
 * @param direction {@code CLIENT_TO_SERVER} (toward the server) or {@code SERVER_TO_CLIENT}
 * @param at        when the relay forwarded or dropped it, since the relay started, e.g. {@code PT0.012S}
 * @param bytes     the UDP payload, e.g. {@code 6d 73 67 2d 33} ("msg-3")
 * @param fate      {@code FORWARDED} or {@code DROPPED}
 */
public record RelayedDatagram(int seq, Direction direction, Duration at, byte[] bytes, Fate fate) {

    /** What the relay did with a datagram. */
    public enum Fate {
        /** Sent on to the other side (possibly after later ones: see the list order). */
        FORWARDED,
        /** Never sent on: the loss a notebook demonstrates. */
        DROPPED
    }

    /** Copies the payload so the record stays immutable. */
    public RelayedDatagram {
        bytes = bytes.clone();
    }

    /** The payload (a copy), e.g. the 5 bytes of "msg-3". */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The payload as hex pairs, e.g. {@code 6d 73 67 2d 33}. */
    public String hex() {
        return Hex.spaced(bytes);
    }

    /** The payload decoded as UTF-8, e.g. {@code msg-3}. */
    public String text() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One line, e.g. {@code #3 client → server +12.0 ms 5 bytes DROPPED "msg-3"}. */
    @Override
    public String toString() {
        return String.format("#%d %s +%.1f ms %d bytes %s \"%s\"", seq, direction, at.toNanos() / 1e6,
                bytes.length, fate, Printable.oneLine(text()));
    }
}

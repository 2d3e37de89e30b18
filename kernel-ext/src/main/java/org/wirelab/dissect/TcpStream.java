package org.wirelab.dissect;

import java.util.List;

/**
 * The payload bytes of one direction of a TCP connection, in sequence order, dissected as HTTP
 * (and WebSocket after an upgrade) when they start like HTTP/1.x.
 *
 * <p>Offsets in {@link #dissection()} count from the first payload byte of this direction.
 */
public final class TcpStream {

    /**
     * Where part of this stream was carried.
     *
     * @param frame         tshark's frame number, from 1, e.g. {@code 4}
     * @param packetOffset  offset of the first payload byte in that packet, e.g. {@code 66}
     * @param streamOffset  offset of the same byte in this stream, e.g. {@code 0}
     * @param length        payload bytes taken from that packet, e.g. {@code 78}
     */
    public record Segment(int frame, int packetOffset, int streamOffset, int length) {
    }

    private final int index;
    private final String source;
    private final String destination;
    private final List<Segment> segments;
    private final Dissection dissection;

    TcpStream(int index, String source, String destination, List<Segment> segments, Dissection dissection) {
        this.index = index;
        this.source = source;
        this.destination = destination;
        this.segments = List.copyOf(segments);
        this.dissection = dissection;
    }

    /** tshark's tcp.stream number of the connection, from 0, e.g. {@code 0}. */
    public int index() {
        return index;
    }

    /** The sending end, e.g. {@code "127.0.0.1:56226"}. */
    public String source() {
        return source;
    }

    /** The receiving end, e.g. {@code "127.0.0.1:8080"}. */
    public String destination() {
        return destination;
    }

    /** The packets this stream's bytes came from, in stream order. */
    public List<Segment> segments() {
        return segments;
    }

    /** The stream's bytes dissected: protocol {@code "http"} or {@code "data"}. */
    public Dissection dissection() {
        return dissection;
    }

    /** A copy of the reassembled payload bytes. */
    public byte[] bytes() {
        return dissection.bytes();
    }

    /** The segment holding stream byte {@code streamOffset}, if any. */
    public java.util.Optional<Segment> segmentAt(int streamOffset) {
        return segments.stream()
                .filter(s -> streamOffset >= s.streamOffset() && streamOffset < s.streamOffset() + s.length())
                .findFirst();
    }

    /** e.g. {@code "tcp.stream 0: 127.0.0.1:56226 -> 127.0.0.1:8080, 78 bytes in 1 segment"}. */
    @Override
    public String toString() {
        return "tcp.stream " + index + ": " + source + " -> " + destination + ", " + dissection.bytes().length
                + " bytes in " + segments.size() + " segment" + (segments.size() == 1 ? "" : "s");
    }
}

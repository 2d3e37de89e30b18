package org.wirelab.dissect;

import org.wirelab.wire.Hex;
import org.wirelab.wire.HttpHead;
import org.wirelab.wire.PcapReader;
import java.nio.file.Path;
import java.util.List;

/**
 * Dissectors with exact byte offsets; field names are Wireshark's display-filter names.
 *
 * <pre>
 *   Dissect.websocket(HexFormat.of().parseHex("810548656c6c6f")).value("websocket.payload.text")  // "Hello"
 *   Dissect.http("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes()).value("http.host")              // "a"
 *   Dissect.pcap(Path.of("ws.pcapng")).streams()                                                // per direction
 *   Dissect.http2(clientBytes).frames()                                                         // [SETTINGS s=0, HEADERS s=1 ...]
 * </pre>
 *
 * No dissector throws on bad input: what parsed is returned as fields, the rest as problems.
 */
public final class Dissect {

    private Dissect() {
    }

    /** HTTP/1.x messages from one direction of a connection (RFC 9112); WebSocket frames after an upgrade. */
    public static Dissection http(byte[] bytes) {
        try {
            return HttpDissector.dissect(bytes);
        } catch (RuntimeException e) {
            return failed("http", bytes, e);
        }
    }

    /** WebSocket frames (RFC 6455 §5.2), with {@link WebSocketDissection#messages()} reassembled. */
    public static WebSocketDissection websocket(byte[] bytes) {
        try {
            return WebSocketDissector.dissect(bytes);
        } catch (RuntimeException e) {
            return new WebSocketDissection(bytes, List.of(), List.of(internal(bytes, e)), List.of());
        }
    }

    /**
     * One direction of an HTTP/2 connection (RFC 9113): the preface, every frame, and every header
     * block decoded by HPACK (RFC 7541) with one dynamic table for the direction, e.g. the client's
     * bytes {@code PRI * HTTP/2.0...} or the server's. A direction that starts with the HTTP/1.1
     * {@code Upgrade: h2c} request or its 101 answer has that head dissected as HTTP first (its
     * {@code HTTP2-Settings} decoded). A body of several DATA frames is reassembled in its last one.
     */
    public static Http2Dissection http2(byte[] oneDirection) {
        try {
            return Http2Dissector.dissect(oneDirection);
        } catch (RuntimeException e) {
            return new Http2Dissection(oneDirection, List.of(), List.of(internal(oneDirection, e)), List.of());
        }
    }

    /**
     * One direction of a captured TCP connection as HTTP/2, like {@link #http2(byte[])}, where each
     * {@code http2.body.fragment} of a body reassembled from several DATA frames names the capture frame
     * that completed its DATA frame, as tshark does, e.g. {@code Dissect.http2(capture.streams().get(0))}.
     */
    public static Http2Dissection http2(TcpStream stream) {
        byte[] bytes = stream.bytes();
        try {
            return Http2Dissector.dissect(bytes, offset -> stream.segmentAt(offset)
                    .map(s -> java.util.OptionalInt.of(s.frame())).orElse(java.util.OptionalInt.empty()));
        } catch (RuntimeException e) {
            return new Http2Dissection(bytes, List.of(), List.of(internal(bytes, e)), List.of());
        }
    }

    /** A pcap or pcapng file already in memory. */
    public static PacketCapture pcap(byte[] file) {
        byte[] copy = file.clone();
        try {
            return PacketCapture.of(() -> PcapReader.of(copy));
        } catch (RuntimeException e) {
            return PacketCapture.failed(file.length, e);
        }
    }

    /**
     * A pcap or pcapng file, e.g. {@code Dissect.pcap(Path.of("capture.pcapng"))}, read when first
     * asked and again for each iteration (packets are read as they are needed); fails only if unreadable.
     */
    public static PacketCapture pcap(Path file) {
        try {
            return PacketCapture.of(() -> PcapReader.open(file));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The Sec-WebSocket-Accept derivation for {@code key} step by step (RFC 6455 §4.2.2), e.g. {@code "dGhlIHNhbXBsZSBub25jZQ=="}. */
    public static AcceptKey handshake(String key) {
        return AcceptKey.of(key);
    }

    /** One TCP direction: HTTP when it starts like HTTP/1.x, WebSocket when it starts like a frame, else data. */
    static Dissection stream(byte[] bytes) {
        if (HttpHead.startsLikeHttp(bytes)) {
            return http(bytes);
        }
        if (bytes.length > 0) {
            return new Dissection("data", bytes, List.of(Field.of("data.data", 0, bytes.length,
                    Hex.colons(bytes, 0, Math.min(bytes.length, 64)) + (bytes.length > 64 ? "..." : ""))), List.of());
        }
        return new Dissection("data", bytes, List.of(), List.of());
    }

    private static Dissection failed(String protocol, byte[] bytes, RuntimeException e) {
        return new Dissection(protocol, bytes, List.of(), List.of(internal(bytes, e)));
    }

    private static Problem internal(byte[] bytes, RuntimeException e) {
        return new Problem(0, bytes.length, "could not dissect: " + e);
    }

    /**
     * The WebSocket frames that follow the HTTP head in one direction of an upgraded connection
     * (RFC 6455 §4, §5.2): everything after the first blank line, e.g. the client's masked frames
     * after its {@code GET ... Upgrade: websocket} request; a problem when there is no blank line.
     */
    public static WebSocketDissection upgraded(byte[] stream) {
        int end = HttpHead.endOfHead(stream);
        if (end >= 0) {
            return websocket(java.util.Arrays.copyOfRange(stream, end, stream.length));
        }
        return new WebSocketDissection(new byte[0], List.of(), List.of(new Problem(0, 0,
                "no end of the HTTP head (CRLF CRLF) in " + stream.length + " bytes: not an upgraded stream")), List.of());
    }
}

package org.wirelab.dissect;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.wire.Hex;

/**
 * The one WebSocket message type (RFC 6455 §5.4, §5.6): a data message joined from its fragments,
 * or one control frame, whoever saw it: a dissection ({@link WebSocketDissection#messages()}), the
 * demo server ({@code server.takeMessage()}, {@code server.takePong()}) or the JDK client
 * ({@code inbox.take()}).
 *
 * <pre>
 *   01 03 48 65 6c  80 02 6c 6f   TEXT (0x1) 5 bytes in 2 frames: Hello
 *   88 02 03 e8                   CLOSE (0x8) 2 bytes in 1 frame: 1000
 * </pre>
 *
 * @param opcode  the opcode of its first frame (websocket.opcode), e.g. {@link Opcode#TEXT}
 * @param payload the unmasked application data, as it crossed: for CLOSE the 2-byte status code then
 *                the UTF-8 reason (§5.5.1), e.g. {@code 48 65 6c 6c 6f} ("Hello")
 * @param frames  how many frames carried it as the receiver saw them, e.g. {@code 2} for
 *                {@code 01 03 48 65 6c} + {@code 80 02 6c 6f}; 0 from the JDK client, which hands over
 *                parts that need not match frames and does not show the frames
 * @param last    whether it ends its message; {@code false} only for a part the JDK client handed
 *                over before the rest ({@code inbox.takeMessage()} joins them)
 */
public record WebSocketMessage(Opcode opcode, byte[] payload, int frames, boolean last) implements Rich {

    /** Copies the payload so the record stays immutable. */
    public WebSocketMessage {
        payload = payload.clone();
    }

    /** A whole message of {@code frames} frames. */
    public WebSocketMessage(Opcode opcode, byte[] payload, int frames) {
        this(opcode, payload, frames, true);
    }

    /** A CLOSE with status {@code code} and {@code reason}, its payload as on the wire, e.g. {@code 03 e8} for 1000. */
    public static WebSocketMessage close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return new WebSocketMessage(Opcode.CLOSE, p, 1);
    }

    /** The payload (a copy). */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload decoded as UTF-8, e.g. {@code Hello}; for CLOSE the reason after the status code. */
    public String text() {
        int from = opcode == Opcode.CLOSE && payload.length >= 2 ? 2 : 0;
        return new String(payload, from, payload.length - from, StandardCharsets.UTF_8);
    }

    /** The payload as hex pairs, e.g. {@code 48 65 6c 6c 6f}. */
    public String hex() {
        return Hex.spaced(payload);
    }

    /** A CLOSE's status code (websocket.close.status_code), e.g. {@code 1000}; empty for other opcodes and a CLOSE without one. */
    public Optional<Integer> closeCode() {
        if (opcode != Opcode.CLOSE || payload.length < 2) {
            return Optional.empty();
        }
        return Optional.of(((payload[0] & 0xff) << 8) | (payload[1] & 0xff));
    }

    /**
     * E.g. {@code TEXT (0x1) 5 bytes in 2 frames: Hello}, {@code BINARY (0x2) 3 bytes in 1 frame: 00 01 02},
     * {@code CLOSE (0x8) 5 bytes in 1 frame: 1000 "bye"}, {@code TEXT (0x1) 3 bytes, a part, more follows: Hel};
     * from the JDK client, which does not show frames, {@code TEXT (0x1) 5 bytes: Hello}.
     */
    @Override
    public String toString() {
        String shown = switch (opcode) {
            case BINARY -> payload.length <= 16 ? hex() : Hex.spaced(java.util.Arrays.copyOf(payload, 16)) + " …";
            case CLOSE -> closeCode().map(c -> c + (payload.length > 2 ? " \"" + text() + "\"" : "")).orElse("no status code");
            default -> text();
        };
        String how = !last ? ", a part, more follows" : frames == 0 ? "" : " in " + frames + " frame" + (frames == 1 ? "" : "s");
        return String.format("%s (0x%X) %d bytes%s: %s", opcode, Math.max(opcode.code(), 0), payload.length, how, shown);
    }

    /** text/plain as {@link #toString()}; text/html the same in a {@code <pre>}. */
    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html("<pre>" + Html.escape(toString()) + "</pre>").build();
    }
}

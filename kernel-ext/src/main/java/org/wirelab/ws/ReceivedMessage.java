package org.wirelab.ws;

import org.wirelab.wire.Hex;
import java.nio.charset.StandardCharsets;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * A message or pong a {@link WebSocketDemoServer} received (RFC 6455 §5.6, §5.5.3), reassembled
 * from its frames and unmasked.
 *
 * @param type   {@code TEXT}, {@code BINARY} or {@code PONG}
 * @param bytes  the unmasked payload, e.g. {@code 48 65 6c 6c 6f} ("Hello")
 * @param frames how many frames carried it, e.g. {@code 2} for {@code 01 03 48 65 6c} + {@code 80 02 6c 6f}
 * @param client which connection it came on, from 1, e.g. {@code 1}
 */
public record ReceivedMessage(Type type, byte[] bytes, int frames, int client) implements Rich {

    /** The kind of data, with the opcode (websocket.opcode) of its first frame. */
    public enum Type {
        /** UTF-8 text, opcode 0x1. */
        TEXT(0x1),
        /** Binary data, opcode 0x2. */
        BINARY(0x2),
        /** A pong control frame, opcode 0xA. */
        PONG(0xA);

        private final int opcode;

        Type(int opcode) {
            this.opcode = opcode;
        }

        /** The opcode, e.g. {@code 0x1} for TEXT. */
        public int opcode() {
            return opcode;
        }
    }

    /** Copies the payload so the record stays immutable. */
    public ReceivedMessage {
        bytes = bytes.clone();
    }

    /** The payload (a copy). */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The payload decoded as UTF-8, e.g. {@code Hello}. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The payload as hex pairs, e.g. {@code 48 65 6c 6c 6f}. */
    public String hex() {
        return Hex.spaced(bytes);
    }

    /** E.g. {@code TEXT (0x1) 5 bytes in 2 frames from client 1: Hello}. */
    @Override
    public String toString() {
        return String.format("%s (0x%X) %d bytes in %d frame(s) from client %d: %s", type, type.opcode(),
                bytes.length, frames, client, type == Type.BINARY ? hex() : text());
    }

    /** text/plain as {@link #toString()}; text/html the same in a {@code <pre>}. */
    @Override
    public java.util.Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html("<pre>" + Html.escape(toString()) + "</pre>").build();
    }
}

package org.wirelab.dissect;

import org.wirelab.wire.Bytes;
import org.wirelab.wire.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads WebSocket frames, RFC 6455 §5.2:
 *
 * <pre>
 *   0                   1                   2                   3
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  81 85 37 fa 21 3d 7f 9f 4d 51 58   masked TEXT "Hello"
 * </pre>
 */
final class WebSocketDissector {

    final List<Node> frames = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final List<WebSocketMessage> messages = new ArrayList<>();

    private Opcode partialOpcode;
    private ByteArrayOutputStream partial;
    private int partialFrames;

    static WebSocketDissection dissect(byte[] b) {
        WebSocketDissector d = new WebSocketDissector();
        d.read(b, 0, b.length);
        return new WebSocketDissection(b, Node.fields(d.frames, 0), d.problems, d.messages);
    }

    /** Reads frames from {@code b[start, end)}; offsets stay relative to {@code b}. */
    void read(byte[] b, int start, int end) {
        int at = start;
        while (at < end) {
            int next = frame(b, at, end);
            if (next < 0) {
                return;
            }
            at = next;
        }
        if (partial != null) {
            problems.add(new Problem(end, 0, "truncated: fragmented " + partialOpcode.rfcName()
                    + " message has no final frame (FIN=0 on the last frame, RFC 6455 §5.4)"));
        }
    }

    /** One frame at {@code at}; returns the offset after it, or -1 when the bytes ran out. */
    private int frame(byte[] b, int at, int end) {
        int have = end - at;
        if (have < 2) {
            problems.add(new Problem(at, have, "truncated: frame header needs 2 bytes, have " + have));
            return -1;
        }
        int b0 = Bytes.u8(b, at);
        int b1 = Bytes.u8(b, at + 1);
        boolean fin = (b0 & 0x80) != 0;
        int rsv = (b0 >> 4) & 0x7;
        Opcode opcode = Opcode.of(b0);
        boolean masked = (b1 & 0x80) != 0;
        int len7 = b1 & 0x7f;

        int headerLen = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        long payloadLen = len7;
        Node frame = new Node("websocket", at, 0, opcode.rfcName() + (fin ? ", FIN" : "") + (masked ? ", MASKED" : ""));
        frame.add("websocket.fin", at, 1, fin ? "1" : "0");
        frame.add("websocket.rsv", at, 1, Hex.number(rsv, 2));
        frame.add("websocket.opcode", at, 1, Integer.toString(b0 & 0xf));
        frame.add("websocket.mask", at + 1, 1, masked ? "1" : "0");
        frame.add("websocket.payload_length", at + 1, 1, Integer.toString(len7));
        if (len7 >= 126) {
            int extLen = len7 == 126 ? 2 : 8;
            if (have < 2 + extLen) {
                problems.add(new Problem(at + 2, have - 2, "truncated: payload length " + len7 + " needs "
                        + (2 + extLen - have) + " more byte" + (2 + extLen - have == 1 ? "" : "s")));
                frames.add(close(frame, at, end, 2));
                return -1;
            }
            if (len7 == 126) {
                payloadLen = Bytes.u16(b, at + 2);
                frame.add("websocket.payload_length_ext_16", at + 2, 2, Long.toString(payloadLen));
            } else {
                payloadLen = (Bytes.u32(b, at + 2) << 32) | Bytes.u32(b, at + 6);
                frame.add("websocket.payload_length_ext_64", at + 2, 8, Long.toUnsignedString(payloadLen));
                if (payloadLen < 0) {
                    problems.add(new Problem(at + 2, 8, "payload length has its most significant bit set (RFC 6455 §5.2)"));
                }
            }
        }
        if (masked) {
            if (have < headerLen + 4) {
                problems.add(new Problem(at + headerLen, have - headerLen, "truncated: masking key needs "
                        + (headerLen + 4 - have) + " more byte" + (headerLen + 4 - have == 1 ? "" : "s")));
                frames.add(close(frame, at, end, headerLen));
                return -1;
            }
            frame.add("websocket.masking_key", at + headerLen, 4, Hex.colons(b, at + headerLen, 4));
            headerLen += 4;
        }
        if (rsv != 0) {
            problems.add(new Problem(at, 1, "reserved bits " + Hex.number(rsv, 1)
                    + " set without a negotiated extension (RFC 6455 §5.2)"));
        }
        if (opcode == Opcode.RESERVED_CONTROL || opcode == Opcode.RESERVED_NON_CONTROL) {
            problems.add(new Problem(at, 1, "reserved opcode " + Hex.number(b0 & 0xf, 1) + " (RFC 6455 §5.2)"));
        }
        if (opcode.isControl() && (!fin || payloadLen > 125)) {
            problems.add(new Problem(at, 2, "control frame " + opcode.rfcName()
                    + (fin ? " longer than 125 bytes" : " is fragmented") + " (RFC 6455 §5.5)"));
        }
        int payloadAt = at + headerLen;
        long available = end - payloadAt;
        if (payloadLen < 0 || payloadLen > available) {
            String need = payloadLen < 0 ? Long.toUnsignedString(payloadLen) : Long.toString(payloadLen);
            problems.add(new Problem(payloadAt, (int) available, "truncated: payload of " + need
                    + " bytes, have " + available));
            frames.add(close(frame, at, end, headerLen));
            return -1;
        }
        int len = (int) payloadLen;
        byte[] data = new byte[len];
        for (int i = 0; i < len; i++) {
            data[i] = masked ? (byte) (b[payloadAt + i] ^ b[at + headerLen - 4 + (i & 3)]) : b[payloadAt + i];
        }
        if (masked) {
            frame.add("websocket.masked_payload", payloadAt, len, Hex.colons(b, payloadAt, len));
        }
        payload(frame, opcode, data, payloadAt);
        frames.add(close(frame, at, end, headerLen + len));
        message(opcode, fin, data, at);
        return payloadAt + len;
    }

    private static Node close(Node open, int at, int end, int length) {
        Node frame = new Node("websocket", at, Math.min(length, end - at), open.value);
        frame.children.addAll(open.children);
        return frame;
    }

    /** websocket.payload and its opcode-specific child; offsets are the payload's place on the wire. */
    private void payload(Node frame, Opcode opcode, byte[] data, int at) {
        int len = data.length;
        Node payload = frame.add("websocket.payload", at, len, Hex.colons(data, 0, len));
        switch (opcode) {
            case TEXT -> payload.add("websocket.payload.text", at, len, utf8(data, at));
            case CONTINUATION -> payload.add("websocket.payload.continue", at, len, Hex.colons(data, 0, len));
            case PING -> payload.add("websocket.payload.ping", at, len, Hex.colons(data, 0, len));
            case PONG -> payload.add("websocket.payload.pong", at, len, Hex.colons(data, 0, len));
            case CLOSE -> {
                Node close = payload.add("websocket.payload.close", at, len, "");
                if (len == 1) {
                    problems.add(new Problem(at, 1, "close payload of 1 byte: a status code needs 2 (RFC 6455 §5.5.1)"));
                } else if (len >= 2) {
                    close.add("websocket.payload.close.status_code", at, 2, Integer.toString(Bytes.u16(data, 0)));
                    if (len > 2) {
                        close.add("websocket.payload.close.reason", at + 2, len - 2, utf8(slice(data, 2), at + 2));
                    }
                }
            }
            case BINARY -> {
            }
            default -> payload.add("websocket.payload.unknown", at, len, Hex.colons(data, 0, len));
        }
    }

    private static byte[] slice(byte[] data, int from) {
        byte[] out = new byte[data.length - from];
        System.arraycopy(data, from, out, 0, out.length);
        return out;
    }

    private String utf8(byte[] data, int at) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private void message(Opcode opcode, boolean fin, byte[] data, int at) {
        if (opcode.isControl()) {
            messages.add(new WebSocketMessage(opcode, data, 1));
            return;
        }
        if (opcode == Opcode.CONTINUATION) {
            if (partial == null) {
                problems.add(new Problem(at, 1, "continuation frame without a message to continue (RFC 6455 §5.4)"));
                return;
            }
            partial.writeBytes(data);
            partialFrames++;
        } else {
            if (partial != null) {
                problems.add(new Problem(at, 1, "new " + opcode.rfcName() + " message while a fragmented "
                        + partialOpcode.rfcName() + " message is unfinished (RFC 6455 §5.4)"));
            }
            partial = new ByteArrayOutputStream();
            partial.writeBytes(data);
            partialOpcode = opcode;
            partialFrames = 1;
        }
        if (fin) {
            messages.add(new WebSocketMessage(partialOpcode, partial.toByteArray(), partialFrames));
            partial = null;
        }
    }
}

package org.wirelab.dissect;

/**
 * WebSocket frame opcodes, RFC 6455 §5.2 and §11.8.
 *
 * <pre>
 *   81 05 48 65 6c 6c 6f   FIN + opcode 0x1 (TEXT), "Hello"
 * </pre>
 */
public enum Opcode {
    /** 0x0: continues a fragmented message. */
    CONTINUATION(0x0, "Continuation"),
    /** 0x1: UTF-8 text. */
    TEXT(0x1, "Text"),
    /** 0x2: binary data. */
    BINARY(0x2, "Binary"),
    /** 0x3 - 0x7: reserved non-control frames. */
    RESERVED_NON_CONTROL(-1, "Reserved non-control"),
    /** 0x8: close, optionally with a status code and a reason. */
    CLOSE(0x8, "Connection Close"),
    /** 0x9: ping. */
    PING(0x9, "Ping"),
    /** 0xA: pong. */
    PONG(0xA, "Pong"),
    /** 0xB - 0xF: reserved control frames. */
    RESERVED_CONTROL(-1, "Reserved control");

    private final int code;
    private final String rfcName;

    Opcode(int code, String rfcName) {
        this.code = code;
        this.rfcName = rfcName;
    }

    /** The 4-bit code, e.g. {@code 0x1} for TEXT; -1 for the reserved ranges. */
    public int code() {
        return code;
    }

    /** The name Wireshark shows, e.g. {@code "Text"}. */
    public String rfcName() {
        return rfcName;
    }

    /** True for close, ping, pong and the reserved control codes (0x8 - 0xF). */
    public boolean isControl() {
        return this == CLOSE || this == PING || this == PONG || this == RESERVED_CONTROL;
    }

    /** The opcode for the low 4 bits of {@code code}, e.g. {@code of(0x9)} is PING. */
    public static Opcode of(int code) {
        return switch (code & 0xf) {
            case 0x0 -> CONTINUATION;
            case 0x1 -> TEXT;
            case 0x2 -> BINARY;
            case 0x8 -> CLOSE;
            case 0x9 -> PING;
            case 0xA -> PONG;
            default -> (code & 0x8) == 0 ? RESERVED_NON_CONTROL : RESERVED_CONTROL;
        };
    }
}

package org.wirelab.dissect;

import java.util.List;
import java.util.Objects;

/**
 * One named field of a message, where it sits in the bytes and what it means.
 *
 * <p>Names follow Wireshark's display-filter names wherever Wireshark has one, so that a reader
 * can search for them: {@code http.request.method}, {@code websocket.opcode}, {@code tcp.flags.syn}.
 *
 * @param name     display-filter name, e.g. {@code "websocket.opcode"}
 * @param offset   first byte, counted from the start of the dissected bytes, e.g. {@code 0}
 * @param length   number of bytes, e.g. {@code 1}; a bit field covers the byte(s) that hold it
 * @param value    the value as Wireshark shows it, e.g. {@code "1"} or {@code "GET"}
 * @param children sub-fields, e.g. the flags inside {@code tcp.flags}; empty when none
 */
public record Field(String name, int offset, int length, String value, List<Field> children) {

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(name + ": offset and length must be >= 0");
        }
        children = List.copyOf(children);
    }

    /** A field without sub-fields. */
    public static Field of(String name, int offset, int length, String value) {
        return new Field(name, offset, length, value, List.of());
    }

    /** The offset just past this field, e.g. {@code 1} for a one-byte field at 0. */
    public int end() {
        return offset + length;
    }
}

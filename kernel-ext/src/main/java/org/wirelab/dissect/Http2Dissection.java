package org.wirelab.dissect;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * HTTP/2 frames of one direction of a connection (RFC 9113 §4.1), with every header block
 * decoded by HPACK (RFC 7541) and the dynamic table after each block.
 *
 * <pre>
 * 00 00 1f 01 05 00 00 00 01  82 84 86 41 8b ...   HEADERS, stream 1, END_STREAM|END_HEADERS, 31 bytes of HPACK
 * </pre>
 */
public final class Http2Dissection extends Dissection {

    /** Frame types, RFC 9113 §6 (0x0-0x9); anything else is {@code UNKNOWN} and is skipped (§4.1). */
    public enum FrameType {
        DATA(0x0), HEADERS(0x1), PRIORITY(0x2), RST_STREAM(0x3), SETTINGS(0x4), PUSH_PROMISE(0x5), PING(0x6),
        GOAWAY(0x7), WINDOW_UPDATE(0x8), CONTINUATION(0x9), UNKNOWN(-1);

        /** The type octet, e.g. {@code 0x1} for HEADERS; -1 for UNKNOWN. */
        public final int code;

        FrameType(int code) {
            this.code = code;
        }

        /** The type of octet {@code code}, e.g. {@code of(0x8)} is WINDOW_UPDATE. */
        public static FrameType of(int code) {
            for (FrameType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return UNKNOWN;
        }
    }

    /** How a header field was encoded, RFC 7541 §6; {@code toString()} is Wireshark's {@code http2.header.repr}. */
    public enum Representation {
        INDEXED("Indexed Header Field", false),
        INCREMENTAL_INDEXED_NAME("Literal Header Field with Incremental Indexing - Indexed Name", true),
        INCREMENTAL_NEW_NAME("Literal Header Field with Incremental Indexing - New Name", true),
        WITHOUT_INDEXED_NAME("Literal Header Field without Indexing - Indexed Name", false),
        WITHOUT_NEW_NAME("Literal Header Field without Indexing - New Name", false),
        NEVER_INDEXED_NAME("Literal Header Field never Indexed - Indexed Name", false),
        NEVER_NEW_NAME("Literal Header Field never Indexed - New Name", false),
        SIZE_UPDATE("Maximum Header Table Size Change", false);

        private final String wireshark;
        private final boolean indexes;

        Representation(String wireshark, boolean indexes) {
            this.wireshark = wireshark;
            this.indexes = indexes;
        }

        /** Whether the field is added to the dynamic table (literal with incremental indexing, §6.2.1). */
        public boolean indexes() {
            return indexes;
        }

        Representation newName() {
            return switch (this) {
                case INCREMENTAL_INDEXED_NAME -> INCREMENTAL_NEW_NAME;
                case WITHOUT_INDEXED_NAME -> WITHOUT_NEW_NAME;
                case NEVER_INDEXED_NAME -> NEVER_NEW_NAME;
                default -> this;
            };
        }

        /** A short name: indexed, incremental, without indexing, never indexed, size update. */
        public String shortName() {
            return switch (this) {
                case INDEXED -> "indexed";
                case INCREMENTAL_INDEXED_NAME, INCREMENTAL_NEW_NAME -> "literal, incremental indexing";
                case WITHOUT_INDEXED_NAME, WITHOUT_NEW_NAME -> "literal, without indexing";
                case NEVER_INDEXED_NAME, NEVER_NEW_NAME -> "literal, never indexed";
                case SIZE_UPDATE -> "table size update";
            };
        }

        @Override
        public String toString() {
            return wireshark;
        }
    }

    /**
     * One decoded header field (or a table size update) as it sat on the wire.
     *
     * @param name           e.g. {@code ":method"}
     * @param value          e.g. {@code "GET"}
     * @param representation e.g. {@code INDEXED}
     * @param offset         first byte of its representation, in the dissected bytes, e.g. {@code 127}
     * @param length         bytes it cost on the wire, e.g. {@code 1}
     * @param index          the table index it named (0: a new name), or the new table size of an update
     * @param nameOffset     where its name came from: the index bytes or the name literal
     * @param nameLength     bytes of that
     * @param valueOffset    where its value came from: the index bytes or the value literal
     * @param valueLength    bytes of that
     * @param size           name + value octets + 32, what it costs in the dynamic table (RFC 7541 §4.1)
     */
    public record Header(String name, String value, Representation representation, int offset, int length, int index,
            int nameOffset, int nameLength, int valueOffset, int valueLength, int size) {

        /** e.g. {@code ":method: GET (indexed, 1 byte)"}. */
        @Override
        public String toString() {
            return (representation == Representation.SIZE_UPDATE ? "table size update to " + index
                    : name + ": " + value) + " (" + representation.shortName() + ", " + length + " byte" + (length == 1 ? "" : "s") + ")";
        }
    }

    /** A dynamic table entry: {@code index} from 62 (newest), its size per RFC 7541 §4.1. */
    public record TableEntry(int index, String name, String value, int size) {
    }

    /**
     * One frame.
     *
     * @param offset    its first byte (the frame header) in the dissected bytes
     * @param length    9 + payload length; fewer when the bytes ran out
     * @param type      e.g. {@code HEADERS}
     * @param typeCode  the type octet, e.g. {@code 0x1}
     * @param flags     the flags octet, e.g. {@code 0x05}
     * @param streamId  e.g. {@code 1}; 0 for the connection
     * @param payloadLength the Length field, e.g. {@code 31}
     * @param dataLength DATA bytes without padding (what flow control counts minus padding); 0 for other types
     * @param headers   header fields decoded from the block this frame completes; empty otherwise
     * @param table     the dynamic table after that block, newest first; empty when no block completed here
     * @param tableSize its size in octets
     */
    public record Frame(int offset, int length, FrameType type, int typeCode, int flags, int streamId, int payloadLength,
            int dataLength, List<Header> headers, List<TableEntry> table, int tableSize) {

        /** END_STREAM (0x1) on DATA or HEADERS. */
        public boolean endStream() {
            return (type == FrameType.DATA || type == FrameType.HEADERS) && (flags & 0x1) != 0;
        }

        /** The flag names set, e.g. {@code [END_STREAM, END_HEADERS]} (RFC 9113 §6). */
        public List<String> flagNames() {
            List<String> out = new ArrayList<>();
            switch (type) {
                case DATA -> {
                    flag(out, 0x1, "END_STREAM");
                    flag(out, 0x8, "PADDED");
                }
                case HEADERS -> {
                    flag(out, 0x1, "END_STREAM");
                    flag(out, 0x4, "END_HEADERS");
                    flag(out, 0x8, "PADDED");
                    flag(out, 0x20, "PRIORITY");
                }
                case PUSH_PROMISE -> {
                    flag(out, 0x4, "END_HEADERS");
                    flag(out, 0x8, "PADDED");
                }
                case CONTINUATION -> flag(out, 0x4, "END_HEADERS");
                case SETTINGS, PING -> flag(out, 0x1, "ACK");
                default -> {
                }
            }
            return out;
        }

        private void flag(List<String> out, int bit, String name) {
            if ((flags & bit) != 0) {
                out.add(name);
            }
        }

        /** e.g. {@code "HEADERS s=1 END_STREAM END_HEADERS"}, {@code "DATA s=3 len=300 END_STREAM"}. */
        public String label() {
            StringBuilder s = new StringBuilder(type == FrameType.UNKNOWN ? "type " + typeCode : type.name());
            s.append(" s=").append(streamId);
            if (type == FrameType.DATA) {
                s.append(" len=").append(dataLength);
            }
            flagNames().forEach(f -> s.append(' ').append(f));
            return s.toString();
        }

        @Override
        public String toString() {
            return label();
        }
    }

    private final List<Frame> frames;

    Http2Dissection(byte[] bytes, List<Field> fields, List<Problem> problems, List<Frame> frames) {
        super("http2", bytes, fields, problems);
        this.frames = List.copyOf(frames);
    }

    /** Every frame in wire order. */
    public List<Frame> frames() {
        return frames;
    }

    /**
     * Element {@code number} (counted from 1, like Wireshark's frame numbers) of the {@code http2.stream}
     * fields on its own, offsets unchanged: as in Wireshark the client's preface is one ("Magic"), then
     * one per frame; e.g. {@code element(2)} is the client's first SETTINGS frame with every parameter.
     */
    public Dissection element(int number) {
        List<Field> streams = fields().stream().filter(f -> f.name().equals("http2.stream")).toList();
        if (number < 1 || number > streams.size()) {
            throw new IndexOutOfBoundsException("element " + number + " asked for, but these bytes hold " + streams.size()
                    + " http2.stream elements (the preface and the frames), numbered from 1");
        }
        return new Dissection("http2", bytes(), List.of(streams.get(number - 1)), List.of());
    }

    /** The frames of stream {@code id} in wire order, e.g. {@code frames(1)}. */
    public List<Frame> frames(int streamId) {
        return frames.stream().filter(f -> f.streamId() == streamId).toList();
    }

    /** The stream ids that carried frames, ascending, e.g. {@code [0, 1, 3]}. */
    public List<Integer> streamIds() {
        return List.copyOf(new TreeSet<>(frames.stream().map(Frame::streamId).toList()));
    }

    /**
     * The stream whose request header block says {@code :path} is {@code path}, e.g.
     * {@code streamOf("/delay/300")} is {@code 3}; fails naming the paths present when none does.
     */
    public int streamOf(String path) {
        List<String> seen = new ArrayList<>();
        for (Frame f : headerBlocks()) {
            for (Header h : f.headers()) {
                if (h.name().equals(":path")) {
                    if (h.value().equals(path)) {
                        return f.streamId();
                    }
                    seen.add(h.value() + " (stream " + f.streamId() + ")");
                }
            }
        }
        throw new IllegalArgumentException("no request for " + path + " in these frames; requests: " + seen);
    }

    /** The frames that completed a header block, in order: each with its header fields and the table after it. */
    public List<Frame> headerBlocks() {
        return frames.stream().filter(f -> !f.headers().isEmpty()).toList();
    }
}

package org.wirelab.dissect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wirelab.dissect.Http2Dissection.FrameType;
import org.wirelab.dissect.Http2Dissection.Header;
import org.wirelab.dissect.Http2Dissection.Representation;
import org.wirelab.dissect.Http2Dissection.TableEntry;
import org.wirelab.wire.Bytes;
import org.wirelab.wire.Hex;
import org.wirelab.wire.HttpHead;

/**
 * Reads one direction of an HTTP/2 connection: the client's connection preface (RFC 9113 §3.4),
 * then frames (§4.1), each a 9-byte header and a payload:
 *
 * <pre>
 * +-----------------------------------------------+
 * |                 Length (24)                   |
 * +---------------+---------------+---------------+
 * |   Type (8)    |   Flags (8)   |
 * +-+-------------+---------------+-------------------------------+
 * |R|                 Stream Identifier (31)                      |
 * +=+=============================================================+
 * |                   Frame Payload (0...)                      ...
 * +---------------------------------------------------------------+
 * 00 00 04 08 00 00 00 00 00  01 ff 00 01   WINDOW_UPDATE on stream 0, increment 33488897
 * </pre>
 *
 * A direction that starts with an HTTP/1.1 head (the {@code Upgrade: h2c} request, or the
 * {@code 101 Switching Protocols} answer, §3.1 of RFC 7540) has that head dissected as HTTP first.
 * Header blocks (HEADERS or PUSH_PROMISE plus CONTINUATION frames) are decoded by one {@link Hpack}
 * whose dynamic table spans the whole direction. Lengths are checked against the bytes present
 * before anything is copied.
 *
 * <p>Fields are those tshark shows, including the ones Wireshark derives: per header the decoded
 * name and value lengths, {@code http2.headers.<name>} and {@code http2.header.unescaped}; per block
 * {@code http2.header.length} and {@code http2.header.count}; per request {@code http2.request.full_uri};
 * per body of several DATA frames its reassembly ({@code http2.body.*}). A derived field sits at
 * the bytes it was derived from (Wireshark shows most in buffers of its own).
 */
final class Http2Dissector {

    /** The client connection preface, RFC 9113 §3.4. */
    static final byte[] MAGIC = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int FRAME_HEADER = 9;

    private final List<Field> fields = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Http2Dissection.Frame> frames = new ArrayList<>();
    private final Hpack hpack = new Hpack();

    // A header block still waiting for END_HEADERS: its bytes, where each byte sat, and who started it.
    private ByteArrayOutputStream block;
    private final List<Integer> blockMap = new ArrayList<>();
    private Node blockFrame;
    private int blockStream;
    private boolean hpackBroken;

    // Where each stream's body so far sits: {offset, length} of every DATA payload before END_STREAM.
    private final java.util.Map<Integer, List<int[]>> bodies = new java.util.HashMap<>();
    // The capture frame that carried a byte of the dissected bytes, when they came from a capture.
    private final java.util.function.IntFunction<java.util.OptionalInt> frameOf;

    private Http2Dissector(java.util.function.IntFunction<java.util.OptionalInt> frameOf) {
        this.frameOf = frameOf;
    }

    static Http2Dissection dissect(byte[] b) {
        return dissect(b, offset -> java.util.OptionalInt.empty());
    }

    /** With {@code frameOf} naming the capture frame (tshark's number) that carried the byte at an offset. */
    static Http2Dissection dissect(byte[] b, java.util.function.IntFunction<java.util.OptionalInt> frameOf) {
        Http2Dissector d = new Http2Dissector(frameOf);
        d.read(b);
        List<Field> all = new ArrayList<>(d.fields);
        all.addAll(Node.fields(d.nodes, 0));
        all.sort(java.util.Comparator.comparingInt(Field::offset));
        return new Http2Dissection(b, all, d.problems, d.frames);
    }

    private void read(byte[] b) {
        int at = 0;
        if (HttpHead.startsLikeHttp(b) && !startsWithMagic(b)) {
            int end = HttpHead.endOfHead(b);
            if (end < 0) {
                problems.add(new Problem(0, b.length, "an HTTP/1.1 head without its end (CRLF CRLF): no HTTP/2 frames follow yet"));
                head(b);
                return;
            }
            head(Arrays.copyOf(b, end));
            at = end;
        }
        if (b.length - at > 0 && b[at] == 'P') {
            int n = Math.min(MAGIC.length, b.length - at);
            if (Arrays.equals(b, at, at + n, MAGIC, 0, n)) {
                Node magic = new Node("http2.stream", at, n, "Magic");
                magic.add("http2.magic", at, n, new String(b, at, n, StandardCharsets.US_ASCII));
                nodes.add(magic);
                if (n < MAGIC.length) {
                    problems.add(new Problem(at, n, "truncated: connection preface needs " + MAGIC.length
                            + " bytes, have " + n + " (RFC 9113 §3.4)"));
                    return;
                }
                at += MAGIC.length;
            }
        }
        while (at < b.length) {
            int next = frame(b, at);
            if (next < 0) {
                break;
            }
            at = next;
        }
        if (block != null) {
            problems.add(new Problem(b.length, 0, "header block on stream " + blockStream
                    + " has no END_HEADERS yet: a CONTINUATION frame should follow (RFC 9113 §6.10)"));
        }
    }

    private void head(byte[] head) {
        Dissection http = Dissect.http(head);
        fields.addAll(http.fields());
        problems.addAll(http.problems());
    }

    // "PRI * HTTP/2.0" looks like an HTTP/1.x request line, on purpose (RFC 9113 §3.4)
    private static boolean startsWithMagic(byte[] b) {
        int n = Math.min(b.length, MAGIC.length);
        return n >= 3 && Arrays.equals(b, 0, n, MAGIC, 0, n);
    }

    /** One frame at {@code at}; returns the offset after it, or -1 when the bytes ran out. */
    private int frame(byte[] b, int at) {
        int have = b.length - at;
        if (have < FRAME_HEADER) {
            problems.add(new Problem(at, have, "truncated: frame header needs 9 bytes, have " + have + " (RFC 9113 §4.1)"));
            return -1;
        }
        int length = (Bytes.u8(b, at) << 16) | Bytes.u16(b, at + 1);
        int typeCode = Bytes.u8(b, at + 3);
        FrameType type = FrameType.of(typeCode);
        int flags = Bytes.u8(b, at + 4);
        long word = Bytes.u32(b, at + 5);
        int stream = (int) (word & 0x7fffffffL);
        int payload = at + FRAME_HEADER;
        boolean complete = length <= b.length - payload;
        int frameLength = complete ? FRAME_HEADER + length : have;

        Node frame = new Node("http2.stream", at, frameLength, (type == FrameType.UNKNOWN ? "Unknown type " + typeCode
                : type.name()) + ", Stream ID: " + stream + ", Length " + length);
        nodes.add(frame);
        frame.add("http2.length", at, 3, Integer.toString(length));
        frame.add("http2.type", at + 3, 1, Integer.toString(typeCode));
        flags(frame.add("http2.flags", at + 4, 1, Hex.number(flags, 2)), type, flags, at + 4);
        frame.add("http2.r", at + 5, 4, Hex.number(word >>> 31, 8));
        frame.add("http2.streamid", at + 5, 4, Integer.toString(stream));
        if ((word >>> 31) != 0) {
            problems.add(new Problem(at + 5, 4, "reserved bit set in the stream identifier: must be 0 when sent (RFC 9113 §4.1)"));
        }
        if (block != null && type != FrameType.CONTINUATION) {
            problems.add(new Problem(at, FRAME_HEADER, type + " frame while the header block of stream " + blockStream
                    + " waits for CONTINUATION: a connection error of type PROTOCOL_ERROR (RFC 9113 §6.10)"));
            abandonBlock();
        }
        if (!complete) {
            problems.add(new Problem(payload, have - FRAME_HEADER, "truncated: " + type + " frame says " + length
                    + " payload bytes, have " + (have - FRAME_HEADER) + " (RFC 9113 §4.1)"));
            frames.add(new Http2Dissection.Frame(at, frameLength, type, typeCode, flags, stream, length, 0, List.of(), List.of(), hpack.size()));
            return -1;
        }
        int end = payload + length;
        int dataLength = 0;
        List<Header> headers = List.of();
        switch (type) {
            case DATA -> {
                int[] body = padded(b, frame, flags, payload, end, "http2.data.padding");
                if (body != null) {
                    dataLength = body[1] - body[0];
                    data(b, frame, stream, flags, body[0], dataLength, end);
                }
                needsStream(type, stream, at);
            }
            case HEADERS -> {
                int[] body = padded(b, frame, flags, payload, end, "http2.headers.padding");
                if (body != null) {
                    int from = body[0];
                    if ((flags & 0x20) != 0) {
                        from = priority(b, frame, from, body[1], type, at);
                    }
                    if (from >= 0) {
                        frame.add("http2.headers", from, body[1] - from, Hex.colons(b, from, body[1] - from));
                        headers = startBlock(b, frame, stream, from, body[1], flags);
                    }
                }
                needsStream(type, stream, at);
            }
            case PRIORITY -> {
                if (sized(type, payload, length, 5, "6.3")) {
                    priority(b, frame, payload, end, type, at);
                }
                needsStream(type, stream, at);
            }
            case RST_STREAM -> {
                if (sized(type, payload, length, 4, "6.4")) {
                    frame.add("http2.rst_stream.error", payload, 4, Long.toString(Bytes.u32(b, payload)));
                }
                needsStream(type, stream, at);
            }
            case SETTINGS -> settings(b, frame, flags, stream, payload, end, at);
            case PUSH_PROMISE -> {
                int[] body = padded(b, frame, flags, payload, end, "http2.push_promise.padding");
                if (body != null) {
                    if (body[1] - body[0] < 4) {
                        problems.add(new Problem(body[0], body[1] - body[0], "PUSH_PROMISE without its 4-byte promised stream id (RFC 9113 §6.6)"));
                    } else {
                        long promised = Bytes.u32(b, body[0]);
                        frame.add("http2.push_promise.r", body[0], 4, Hex.number(promised >>> 31, 8));
                        frame.add("http2.push_promise.promised_stream_id", body[0], 4, Long.toString(promised & 0x7fffffffL));
                        frame.add("http2.push_promise.header", body[0] + 4, body[1] - body[0] - 4,
                                Hex.colons(b, body[0] + 4, body[1] - body[0] - 4));
                        headers = startBlock(b, frame, stream, body[0] + 4, body[1], flags);
                    }
                }
                needsStream(type, stream, at);
            }
            case PING -> {
                if (sized(type, payload, length, 8, "6.7")) {
                    frame.add((flags & 0x1) != 0 ? "http2.pong" : "http2.ping", payload, 8, Hex.colons(b, payload, 8));
                }
                onConnection(type, stream, at);
            }
            case GOAWAY -> {
                if (length < 8) {
                    problems.add(new Problem(payload, length, "GOAWAY payload of " + length
                            + " bytes: at least 8 (RFC 9113 §6.8)"));
                } else {
                    long last = Bytes.u32(b, payload);
                    frame.add("http2.goway.r", payload, 4, Hex.number(last >>> 31, 8));
                    frame.add("http2.goaway.last_stream_id", payload, 4, Long.toString(last & 0x7fffffffL));
                    frame.add("http2.goaway.error", payload + 4, 4, Long.toString(Bytes.u32(b, payload + 4)));
                    if (length > 8) {
                        frame.add("http2.goaway.addata", payload + 8, length - 8, Hex.colons(b, payload + 8, length - 8));
                    }
                }
                onConnection(type, stream, at);
            }
            case WINDOW_UPDATE -> {
                if (sized(type, payload, length, 4, "6.9")) {
                    long w = Bytes.u32(b, payload);
                    frame.add("http2.window_update.r", payload, 4, Hex.number(w >>> 31, 8));
                    frame.add("http2.window_update.window_size_increment", payload, 4, Long.toString(w & 0x7fffffffL));
                    if ((w & 0x7fffffffL) == 0) {
                        problems.add(new Problem(payload, 4, "WINDOW_UPDATE with an increment of 0: a PROTOCOL_ERROR (RFC 9113 §6.9)"));
                    }
                }
            }
            case CONTINUATION -> {
                frame.add("http2.continuation.header", payload, length, Hex.colons(b, payload, length));
                if (block == null || blockStream != stream) {
                    problems.add(new Problem(at, FRAME_HEADER, "CONTINUATION on stream " + stream + " without a header block"
                            + " to continue: a PROTOCOL_ERROR (RFC 9113 §6.10)"));
                } else {
                    headers = continueBlock(b, payload, end, flags);
                }
            }
            case UNKNOWN -> {
                if (length > 0) {
                    frame.add("http2.unknown", payload, length, Hex.colons(b, payload, length));
                }
            }
        }
        List<TableEntry> table = headers.isEmpty() ? List.of() : table();
        frames.add(new Http2Dissection.Frame(at, frameLength, type, typeCode, flags, stream, length, dataLength,
                headers, table, hpack.size()));
        return end;
    }

    /**
     * A DATA payload. The one that ends a stream (END_STREAM) after earlier DATA frames gets the
     * body as Wireshark reassembles it: {@code http2.body.fragments} with one {@code http2.body.fragment}
     * per DATA frame (at its payload, the capture frame that completed it as value; only when the bytes
     * came from a capture), the count, the length, and the whole body as {@code http2.body.reassembled.data}
     * and {@code http2.data.data}. Those measure the whole body, so they span from its first byte to its last.
     */
    private void data(byte[] b, Node frame, int stream, int flags, int from, int length, int frameEnd) {
        List<int[]> pieces = bodies.computeIfAbsent(stream, k -> new ArrayList<>());
        pieces.add(new int[] {from, length, frameEnd});
        if ((flags & 0x1) == 0 || pieces.size() == 1) {
            frame.add("http2.data.data", from, length, Hex.colons(b, from, length));
            if ((flags & 0x1) != 0) {
                bodies.remove(stream);
            }
            return;
        }
        bodies.remove(stream);
        int first = pieces.get(0)[0];
        int span = from + length - first;
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int[] p : pieces) {
            whole.write(b, p[0], p[1]);
        }
        byte[] body = whole.toByteArray();
        Node fragments = frame.add("http2.body.fragments", first, span, pieces.size() + " Body fragments (" + body.length + " bytes)");
        for (int[] p : pieces) {
            // tshark names the frame that completed the DATA frame
            frameOf.apply(p[2] - 1).ifPresent(n ->
                    fragments.add("http2.body.fragment", p[0], p[1], Integer.toString(n)));
        }
        fragments.add("http2.body.fragment.count", first, span, Integer.toString(pieces.size()));
        fragments.add("http2.body.reassembled.length", first, span, Integer.toString(body.length));
        String hex = Hex.colons(body, 0, body.length);
        fragments.add("http2.body.reassembled.data", first, span, hex);
        frame.add("http2.data.data", first, span, hex);
    }

    /** Whether a {@code type} payload has its one legal {@code size}; else files a FRAME_SIZE_ERROR problem (RFC 9113 §{@code section}). */
    private boolean sized(FrameType type, int payload, int length, int size, String section) {
        if (length != size) {
            problems.add(new Problem(payload, length, type + " payload of " + length + " bytes: it is " + size
                    + " (a FRAME_SIZE_ERROR, RFC 9113 §" + section + ")"));
            return false;
        }
        return true;
    }

    private void needsStream(FrameType type, int stream, int at) {
        if (stream == 0) {
            problems.add(new Problem(at + 5, 4, type + " on stream 0: it belongs to a stream, a PROTOCOL_ERROR (RFC 9113 §6)"));
        }
    }

    private void onConnection(FrameType type, int stream, int at) {
        if (stream != 0) {
            problems.add(new Problem(at + 5, 4, type + " on stream " + stream + ": it belongs to the connection (stream 0),"
                    + " a PROTOCOL_ERROR (RFC 9113 §6)"));
        }
    }

    /** A flag bit (or the unused bits) of a frame type, as Wireshark names it, e.g. {@code end_stream}, {@code 0x1}. */
    private record Flag(String name, int mask) {
    }

    // per type: first the unused bits, then each flag (RFC 9113 §6), in Wireshark's order
    private static final java.util.Map<FrameType, List<Flag>> FLAGS = java.util.Map.of(
            FrameType.DATA, flagList("unused_data", 0xf6, "padded", 0x8, "end_stream", 0x1),
            FrameType.HEADERS, flagList("unused_headers", 0xd2, "priority", 0x20, "padded", 0x8, "eh", 0x4, "end_stream", 0x1),
            FrameType.SETTINGS, flagList("unused_settings", 0xfe, "ack.settings", 0x1),
            FrameType.PING, flagList("unused_ping", 0xfe, "ack.ping", 0x1),
            FrameType.PUSH_PROMISE, flagList("unused_push_promise", 0xf3, "padded", 0x8, "eh", 0x4),
            FrameType.CONTINUATION, flagList("unused_continuation", 0xfb, "eh", 0x4));

    private static List<Flag> flagList(Object... nameThenMask) {
        List<Flag> out = new ArrayList<>();
        for (int i = 0; i < nameThenMask.length; i += 2) {
            out.add(new Flag("http2.flags." + nameThenMask[i], (Integer) nameThenMask[i + 1]));
        }
        return List.copyOf(out);
    }

    /** The flags and their meaning per type, as Wireshark splits them. */
    private static void flags(Node f, FrameType type, int flags, int at) {
        List<Flag> set = FLAGS.getOrDefault(type, List.of(new Flag("http2.flags.unused", 0xff)));
        unused(f, set.get(0).name(), flags, set.get(0).mask(), at);
        for (Flag flag : set.subList(1, set.size())) {
            bit(f, flag.name(), flags, flag.mask(), at);
        }
    }

    private static void bit(Node f, String name, int flags, int mask, int at) {
        f.add(name, at, 1, (flags & mask) != 0 ? "1" : "0");
    }

    // Wireshark shows a masked field shifted right by the mask's trailing zero bits
    private static void unused(Node f, String name, int flags, int mask, int at) {
        f.add(name, at, 1, Hex.number((flags & mask) >>> Integer.numberOfTrailingZeros(mask), 2));
    }

    /** Pad Length and padding of DATA, HEADERS, PUSH_PROMISE (RFC 9113 §6.1): {first, end} of the rest, or null. */
    private int[] padded(byte[] b, Node frame, int flags, int payload, int end, String paddingName) {
        if ((flags & 0x8) == 0) {
            frame.add("http2.pad_length", payload, 0, "0");
            return new int[] {payload, end};
        }
        if (end == payload) {
            problems.add(new Problem(payload, 0, "PADDED flag but no Pad Length byte (RFC 9113 §6.1)"));
            return null;
        }
        int pad = Bytes.u8(b, payload);
        frame.add("http2.padding", payload, 1, Integer.toString(pad));
        if (pad >= end - payload) {
            problems.add(new Problem(payload, end - payload, "Pad Length " + pad + " is not less than the "
                    + (end - payload) + " payload bytes: a PROTOCOL_ERROR (RFC 9113 §6.1)"));
            return null;
        }
        if (pad > 0) {
            frame.add(paddingName, end - pad, pad, Hex.colons(b, end - pad, pad));
        }
        return new int[] {payload + 1, end - pad};
    }

    /** Exclusive bit, stream dependency and weight (RFC 9113 §6.2, §6.3); returns the offset after them, or -1. */
    private int priority(byte[] b, Node frame, int from, int end, FrameType type, int at) {
        if (end - from < 5) {
            problems.add(new Problem(from, end - from, type + " with the PRIORITY flag needs 5 bytes of priority, have "
                    + (end - from) + " (RFC 9113 §6.2)"));
            return -1;
        }
        long dep = Bytes.u32(b, from);
        frame.add("http2.exclusive", from, 4, (dep >>> 31) != 0 ? "1" : "0");
        frame.add("http2.stream_dependency", from, 4, Long.toString(dep & 0x7fffffffL));
        int weight = Bytes.u8(b, from + 4);
        frame.add("http2.headers.weight", from + 4, 1, Integer.toString(weight));
        frame.add("http2.headers.weight_real", from + 4, 1, Integer.toString(weight + 1));
        return from + 5;
    }

    private static final String[] SETTING_NAMES = {null, "http2.settings.header_table_size", "http2.settings.enable_push",
        "http2.settings.max_concurrent_streams", "http2.settings.initial_window_size", "http2.settings.max_frame_size",
        "http2.settings.max_header_list_size", null, "http2.settings.extended_connect"};
    private static final String[] SETTING_TITLES = {null, "Header table size", "Enable PUSH", "Max concurrent streams",
        "Initial Windows size", "Max frame size", "Max header list size", null, "Extended CONNECT"};

    private void settings(byte[] b, Node frame, int flags, int stream, int payload, int end, int at) {
        onConnection(FrameType.SETTINGS, stream, at);
        int length = end - payload;
        if ((flags & 0x1) != 0 && length != 0) {
            problems.add(new Problem(payload, length, "SETTINGS with ACK carries " + length
                    + " bytes: it must be empty, a FRAME_SIZE_ERROR (RFC 9113 §6.5)"));
            return;
        }
        parameters(Arrays.copyOfRange(b, payload, end), frame, payload, 8, problems);
    }

    /**
     * SETTINGS parameters (RFC 9113 §6.5.1), each 6 bytes: a 16-bit identifier and a 32-bit value,
     * as {@code http2.settings} fields under {@code parent}. {@code decoded} sits at {@code base} in
     * the dissected bytes, {@code bitsPerUnit} bits to a unit there: 8 in a SETTINGS frame; 6 in the
     * base64url text of an {@code HTTP2-Settings} header (RFC 9113 §3.2.1, RFC 7540 §3.2.1), where
     * each parameter is exactly 8 characters and a field covers the characters that carry its bits.
     *
     * <pre>
     * 00 03 00 00 00 64   SETTINGS_MAX_CONCURRENT_STREAMS = 100   (base64url "AAMAAABk")
     * </pre>
     */
    static void parameters(byte[] decoded, Node parent, int base, int bitsPerUnit, List<Problem> problems) {
        int length = decoded.length;
        if (length % 6 != 0) {
            problems.add(new Problem(unitAt(base, 0, bitsPerUnit), units(0, length, bitsPerUnit), "SETTINGS payload of "
                    + length + " bytes is not a multiple of 6: a FRAME_SIZE_ERROR (RFC 9113 §6.5)"));
        }
        for (int p = 0; p + 6 <= length; p += 6) {
            int id = Bytes.u16(decoded, p);
            long value = Bytes.u32(decoded, p + 2);
            boolean known = id < SETTING_NAMES.length && SETTING_NAMES[id] != null;
            Node s = parent.add("http2.settings", unitAt(base, p, bitsPerUnit), units(p, 6, bitsPerUnit),
                    (known ? SETTING_TITLES[id] : "Unknown") + " : " + value);
            s.add("http2.settings.id", unitAt(base, p, bitsPerUnit), units(p, 2, bitsPerUnit), Integer.toString(id));
            int valueAt = unitAt(base, p + 2, bitsPerUnit);
            int valueUnits = units(p + 2, 4, bitsPerUnit);
            s.add(known ? SETTING_NAMES[id] : "http2.settings.unknown", valueAt, valueUnits, Long.toString(value));
            if (id == 2 && value > 1) {
                problems.add(new Problem(valueAt, valueUnits, "SETTINGS_ENABLE_PUSH " + value + ": only 0 or 1 (RFC 9113 §6.5.2)"));
            } else if (id == 4 && value > 0x7fffffffL) {
                problems.add(new Problem(valueAt, valueUnits, "SETTINGS_INITIAL_WINDOW_SIZE " + value + " above 2^31-1 (RFC 9113 §6.5.2)"));
            } else if (id == 5 && (value < 16_384 || value > 16_777_215)) {
                problems.add(new Problem(valueAt, valueUnits, "SETTINGS_MAX_FRAME_SIZE " + value + " outside 16384..16777215 (RFC 9113 §6.5.2)"));
            }
        }
    }

    // the unit (byte or base64 character) that holds the first bit of decoded byte `from`
    private static int unitAt(int base, int from, int bitsPerUnit) {
        return base + from * 8 / bitsPerUnit;
    }

    // the units that hold any bit of decoded bytes [from, from + n)
    private static int units(int from, int n, int bitsPerUnit) {
        return n == 0 ? 0 : ((from + n) * 8 - 1) / bitsPerUnit - from * 8 / bitsPerUnit + 1;
    }

    private List<Header> startBlock(byte[] b, Node frame, int stream, int from, int end, int flags) {
        block = new ByteArrayOutputStream(end - from);
        blockMap.clear();
        blockFrame = frame;
        blockStream = stream;
        return continueBlock(b, from, end, flags);
    }

    private List<Header> continueBlock(byte[] b, int from, int end, int flags) {
        block.write(b, from, end - from);
        for (int i = from; i < end; i++) {
            blockMap.add(i);
        }
        if ((flags & 0x4) == 0) {
            return List.of();
        }
        byte[] bytes = block.toByteArray();
        int wireEnd = end;
        Node owner = blockFrame;
        List<Integer> map = new ArrayList<>(blockMap);
        abandonBlock();
        if (hpackBroken) {
            problems.add(new Problem(from, end - from, "header block not decoded: an earlier block failed, so the"
                    + " dynamic table is no longer the encoder's (RFC 7541 §2.3.2)"));
            return List.of();
        }
        Hpack.Block decoded = hpack.decode(bytes);
        List<Header> headers = new ArrayList<>();
        if (!decoded.headers().isEmpty()) {
            // what the block decodes to, as Wireshark counts it: 4 + name + 4 + value octets per field; at the block's bytes
            int blockAt = map.get(0);
            int blockLength = map.get(map.size() - 1) + 1 - blockAt;
            int decodedLength = decoded.headers().stream().filter(h -> h.representation() != Representation.SIZE_UPDATE)
                    .mapToInt(h -> 8 + Hpack.octets(h.name()) + Hpack.octets(h.value())).sum();
            owner.add("http2.header.length", blockAt, blockLength, Integer.toString(decodedLength));
            owner.add("http2.header.count", blockAt, blockLength, Integer.toString(decoded.headers().size()));
        }
        for (Header h : decoded.headers()) {
            Header wire = new Header(h.name(), h.value(), h.representation(), wireAt(map, h.offset(), wireEnd),
                    wireLength(map, h.offset(), h.length(), wireEnd), h.index(), wireAt(map, h.nameOffset(), wireEnd),
                    wireLength(map, h.nameOffset(), h.nameLength(), wireEnd), wireAt(map, h.valueOffset(), wireEnd),
                    wireLength(map, h.valueOffset(), h.valueLength(), wireEnd), h.size());
            headers.add(wire);
            node(owner, wire);
        }
        for (Problem p : decoded.problems()) {
            problems.add(new Problem(wireAt(map, p.offset(), wireEnd), wireLength(map, p.offset(), p.length(), wireEnd),
                    "HPACK: " + p.message()));
        }
        hpackBroken = decoded.broken();
        fullUri(owner, headers);
        return headers;
    }

    /**
     * A request's {@code :scheme}, {@code :authority} and {@code :path} (RFC 9113 §8.3.1) as one URI,
     * Wireshark's {@code http2.request.full_uri}: generated, at the frame's first byte, no bytes of its own.
     */
    private static void fullUri(Node frame, List<Header> headers) {
        java.util.Map<String, String> pseudo = new java.util.HashMap<>();
        for (Header h : headers) {
            if (h.name().startsWith(":")) {
                pseudo.putIfAbsent(h.name(), h.value());
            }
        }
        if (pseudo.containsKey(":method") && pseudo.containsKey(":scheme") && pseudo.containsKey(":authority")
                && pseudo.containsKey(":path")) {
            frame.add("http2.request.full_uri", frame.offset, 0,
                    pseudo.get(":scheme") + "://" + pseudo.get(":authority") + pseudo.get(":path"));
        }
    }

    private void abandonBlock() {
        block = null;
        blockFrame = null;
    }

    private static int wireAt(List<Integer> map, int blockOffset, int wireEnd) {
        return blockOffset < map.size() ? map.get(blockOffset) : wireEnd;
    }

    private static int wireLength(List<Integer> map, int blockOffset, int length, int wireEnd) {
        if (length == 0) {
            return 0;
        }
        return map.get(blockOffset + length - 1) + 1 - map.get(blockOffset);
    }

    /**
     * One header field as Wireshark shows it: http2.header at its representation's bytes, with the
     * decoded name and value and their lengths (at the bytes they were decoded from: the index or
     * the string literal), the value under its own field when Wireshark has one (e.g.
     * {@code http2.headers.method}), the value percent-decoded, the representation and the index.
     */
    private static void node(Node frame, Header h) {
        if (h.representation() == Representation.SIZE_UPDATE) {
            Node u = frame.add("http2.header_table_size_update", h.offset(), h.length(), "");
            u.add("http2.header_table_size_update.header_table_size", h.offset(), h.length(), Integer.toString(h.index()));
            return;
        }
        Node n = frame.add("http2.header", h.offset(), h.length(), h.name() + ": " + h.value());
        n.add("http2.header.name.length", h.nameOffset(), h.nameLength(), Integer.toString(Hpack.octets(h.name())));
        n.add("http2.header.name", h.nameOffset(), h.nameLength(), h.name());
        n.add("http2.header.value.length", h.valueOffset(), h.valueLength(), Integer.toString(Hpack.octets(h.value())));
        n.add("http2.header.value", h.valueOffset(), h.valueLength(), h.value());
        named(h.name(), h.value()).ifPresent(v -> n.add(NAMED.get(h.name()), h.valueOffset(), h.valueLength(), v));
        unescaped(h.value()).ifPresent(v -> n.add("http2.header.unescaped", h.valueOffset(), h.valueLength(), v));
        n.add("http2.header.repr", h.offset(), 1, h.representation().toString());
        if (h.index() > 0) {
            // at the first byte, as Wireshark has it; the name field covers every byte of the index
            n.add("http2.header.index", h.offset(), 1, Integer.toString(h.index()));
        }
    }

    /** Header names of the HPACK static table (RFC 7541 Appendix A) that Wireshark gives a field of their own. */
    static final java.util.Map<String, String> NAMED = namedFields();

    /** Of those, the fields whose value is a number (a value that is not one gets no such field). */
    private static final java.util.Set<String> NUMERIC = java.util.Set.of(":status", "age", "content-length", "max-forwards");

    private static java.util.Map<String, String> namedFields() {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 1; i <= Hpack.STATIC_SIZE; i++) {
            String name = Hpack.STATIC[i][0];
            if (name.equals("host") || name.equals("transfer-encoding")) {
                continue; // no field of their own in Wireshark
            }
            m.put(name, "http2.headers." + name.replace(":", "").replace('-', '_'));
        }
        return java.util.Map.copyOf(m);
    }

    /** The value of the named header field, e.g. {@code "200"} for {@code :status}; empty for other names or a non-number. */
    private static java.util.Optional<String> named(String name, String value) {
        if (!NAMED.containsKey(name)) {
            return java.util.Optional.empty();
        }
        if (!NUMERIC.contains(name)) {
            return java.util.Optional.of(value);
        }
        // :status is 32 bits in Wireshark, the other numbers 64
        long max = name.equals(":status") ? 0xffffffffL : Long.MAX_VALUE;
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return java.util.Optional.empty();
        }
        long v = Long.parseLong(value);
        return v <= max ? java.util.Optional.of(Long.toString(v)) : java.util.Optional.empty();
    }

    /**
     * The value with every {@code %XX} replaced by its octet (RFC 3986 §2.1), as Wireshark's
     * {@code http2.header.unescaped}; empty when a {@code %} is not followed by two hex digits or
     * decodes to octet 0.
     */
    static java.util.Optional<String> unescaped(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int hi = i + 1 < value.length() ? hexDigit(value.charAt(i + 1)) : -1;
            int lo = i + 2 < value.length() ? hexDigit(value.charAt(i + 2)) : -1;
            if (hi < 0 || lo < 0 || hi * 16 + lo == 0) {
                return java.util.Optional.empty();
            }
            out.append((char) (hi * 16 + lo));
            i += 2;
        }
        return java.util.Optional.of(out.toString());
    }

    private static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private List<TableEntry> table() {
        List<TableEntry> out = new ArrayList<>();
        int index = Hpack.STATIC_SIZE + 1;
        for (Hpack.Entry e : hpack.table()) {
            out.add(new TableEntry(index++, e.name(), e.value(), e.size()));
        }
        return out;
    }
}

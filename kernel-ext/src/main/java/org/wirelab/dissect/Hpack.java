package org.wirelab.dissect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.wirelab.dissect.Http2Dissection.Representation;
import org.wirelab.wire.Hex;

/**
 * The HPACK decoder of one direction of an HTTP/2 connection (RFC 7541): the static table
 * (Appendix A), the dynamic table that header blocks fill (§2.3, §4), integers with an N-bit
 * prefix (§5.1), string literals (§5.2, Huffman-coded or not) and the header field
 * representations of §6. The dynamic table lives as long as the connection, so one instance
 * decodes every header block of one direction, in order.
 *
 * <pre>
 * 82           Indexed Header Field, index 2: ":method: GET"
 * 41 8c f1e3.. Literal with Incremental Indexing, indexed name 1 (":authority"), Huffman value
 * </pre>
 */
final class Hpack {

    /** Entry size overhead: each entry costs its name and value octets plus 32 (RFC 7541 §4.1). */
    static final int ENTRY_OVERHEAD = 32;
    /** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2): 4096 octets. */
    static final int DEFAULT_TABLE_SIZE = 4096;

    /** The static table, RFC 7541 Appendix A: index 1 is {@code STATIC[1]}. */
    static final String[][] STATIC = {
        null,
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
        {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""},
        {"content-length", ""}, {"content-location", ""}, {"content-range", ""}, {"content-type", ""},
        {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
        {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
        {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""},
        {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""},
        {"retry-after", ""}, {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""},
        {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };
    static final int STATIC_SIZE = STATIC.length - 1;

    /** One dynamic table entry; {@code size()} is what it costs against the table size. */
    record Entry(String name, String value) {
        int size() {
            return octets(name) + octets(value) + ENTRY_OVERHEAD;
        }
    }

    private final Deque<Entry> dynamic = new ArrayDeque<>();
    private int size;
    private int maxSize;

    Hpack() {
        this(DEFAULT_TABLE_SIZE);
    }

    /** A decoder whose table may hold {@code maxSize} octets, e.g. 256 as in RFC 7541 C.5. */
    Hpack(int maxSize) {
        this.maxSize = maxSize;
    }

    /** The dynamic table now, newest first (index 62 first). */
    List<Entry> table() {
        return List.copyOf(dynamic);
    }

    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** Header fields decoded from one block, with problems; offsets are block offsets. */
    record Block(List<Http2Dissection.Header> headers, List<Problem> problems, boolean broken) {
    }

    /**
     * Decodes one complete header block. After an error the rest of the block cannot be
     * decoded, and the table may now differ from the encoder's: {@code broken} says so.
     */
    Block decode(byte[] b) {
        List<Http2Dissection.Header> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        int at = 0;
        while (at < b.length) {
            int start = at;
            int first = b[at] & 0xff;
            try {
                if ((first & 0x80) != 0) {
                    long[] index = integer(b, at, 7);
                    at = (int) index[1];
                    Entry e = lookup(index[0], start);
                    out.add(header(e.name(), e.value(), Representation.INDEXED, start, at, (int) index[0],
                            start, at, start, at));
                } else if ((first & 0xe0) == 0x20) {
                    long[] newSize = integer(b, at, 5);
                    at = (int) newSize[1];
                    if (newSize[0] > Integer.MAX_VALUE) {
                        throw new Bad(start, "dynamic table size update to " + newSize[0] + " octets");
                    }
                    maxSize = (int) newSize[0];
                    evict(0);
                    out.add(new Http2Dissection.Header("", "", Representation.SIZE_UPDATE, start, at - start,
                            maxSize, start, 0, start, 0, 0));
                } else {
                    Representation r;
                    int prefix;
                    if ((first & 0xc0) == 0x40) {
                        prefix = 6;
                        r = Representation.INCREMENTAL_INDEXED_NAME;
                    } else if ((first & 0xf0) == 0x10) {
                        prefix = 4;
                        r = Representation.NEVER_INDEXED_NAME;
                    } else {
                        prefix = 4;
                        r = Representation.WITHOUT_INDEXED_NAME;
                    }
                    long[] index = integer(b, at, prefix);
                    at = (int) index[1];
                    String name;
                    int nameAt;
                    int nameEnd;
                    if (index[0] == 0) {
                        r = r.newName();
                        nameAt = at;
                        String[] s = string(b, at);
                        name = s[0];
                        at = Integer.parseInt(s[1]);
                        nameEnd = at;
                    } else {
                        name = lookup(index[0], start).name();
                        nameAt = start;
                        nameEnd = at;
                    }
                    int valueAt = at;
                    String[] v = string(b, at);
                    at = Integer.parseInt(v[1]);
                    out.add(header(name, v[0], r, start, at, (int) index[0], nameAt, nameEnd, valueAt, at));
                    if (r.indexes()) {
                        add(new Entry(name, v[0]));
                    }
                }
            } catch (Bad e) {
                problems.add(new Problem(e.offset, b.length - e.offset, e.getMessage()));
                return new Block(out, problems, true);
            }
        }
        return new Block(out, problems, false);
    }

    private static Http2Dissection.Header header(String name, String value, Representation r, int start, int end,
            int index, int nameAt, int nameEnd, int valueAt, int valueEnd) {
        return new Http2Dissection.Header(name, value, r, start, end - start, index, nameAt, nameEnd - nameAt,
                valueAt, valueEnd - valueAt, octets(name) + octets(value) + ENTRY_OVERHEAD);
    }

    private Entry lookup(long index, int at) {
        if (index == 0) {
            throw new Bad(at, "index 0 is not in the table (RFC 7541 §6.1: a decoding error)");
        }
        if (index <= STATIC_SIZE) {
            return new Entry(STATIC[(int) index][0], STATIC[(int) index][1]);
        }
        long dyn = index - STATIC_SIZE - 1;
        if (dyn >= dynamic.size()) {
            throw new Bad(at, "index " + index + " is beyond the table: " + STATIC_SIZE + " static + "
                    + dynamic.size() + " dynamic entries (RFC 7541 §2.3.3)");
        }
        int i = 0;
        for (Entry e : dynamic) {
            if (i++ == dyn) {
                return e;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private void add(Entry e) {
        if (e.size() > maxSize) {
            dynamic.clear();
            size = 0;
            return;
        }
        evict(e.size());
        dynamic.addFirst(e);
        size += e.size();
    }

    /** Evicts the oldest entries until {@code room} more octets fit (RFC 7541 §4.4). */
    private void evict(int room) {
        while (!dynamic.isEmpty() && size + room > maxSize) {
            size -= dynamic.removeLast().size();
        }
    }

    /** An integer with an N-bit prefix at {@code b[at]} (RFC 7541 §5.1): {value, offset after it}. */
    static long[] integer(byte[] b, int at, int prefix) {
        int max = (1 << prefix) - 1;
        long value = b[at] & max;
        int i = at + 1;
        if (value < max) {
            return new long[] {value, i};
        }
        int shift = 0;
        while (true) {
            if (i >= b.length) {
                throw new Bad(at, "truncated: integer continues past the end of the header block (RFC 7541 §5.1)");
            }
            int octet = b[i++] & 0xff;
            value += (long) (octet & 0x7f) << shift;
            shift += 7;
            if ((octet & 0x80) == 0) {
                return new long[] {value, i};
            }
            if (shift > 28) {
                throw new Bad(at, "integer longer than 5 octets: larger than any table index or string (RFC 7541 §5.1)");
            }
        }
    }

    /** A string literal at {@code b[at]} (RFC 7541 §5.2): {text, offset after it}. */
    static String[] string(byte[] b, int at) {
        if (at >= b.length) {
            throw new Bad(at, "truncated: string literal expected at the end of the header block");
        }
        boolean huffman = (b[at] & 0x80) != 0;
        long[] len = integer(b, at, 7);
        int from = (int) len[1];
        if (len[0] > b.length - from) {
            throw new Bad(at, "truncated: string literal of " + len[0] + " octets, the block has "
                    + (b.length - from) + " left (RFC 7541 §5.2)");
        }
        int n = (int) len[0];
        byte[] raw;
        if (huffman) {
            Huffman.Result r = Huffman.decode(b, from, n);
            if (r.problem() != null) {
                throw new Bad(at, r.problem() + " in " + Hex.colons(b, from, Math.min(n, 16)) + (n > 16 ? "..." : ""));
            }
            raw = r.bytes();
        } else {
            raw = java.util.Arrays.copyOfRange(b, from, from + n);
        }
        return new String[] {new String(raw, StandardCharsets.ISO_8859_1), Integer.toString(from + n)};
    }

    static int octets(String s) {
        return s.length();
    }

    /** A decoding error at a block offset. */
    static final class Bad extends RuntimeException {
        final int offset;

        Bad(int offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }
}

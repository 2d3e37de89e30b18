package org.wirelab.wire;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the packet records of a classic pcap or a pcapng file one at a time, as they are asked
 * for: memory stays at one packet whatever the file's size. A record that claims more than
 * {@value #MAX_PACKET} captured bytes (tshark's limit) or runs past the end of the file ends the
 * reading with a problem; it is never allocated.
 *
 * <pre>
 *   d4 c3 b2 a1 02 00 04 00 ...   classic pcap, little endian, microseconds
 *   4d 3c b2 a1 ...               classic pcap, little endian, nanoseconds
 *   0a 0d 0d 0a ...               pcapng Section Header Block
 * </pre>
 *
 * <pre>{@code
 * try (PcapReader r = PcapReader.open(Path.of("http.pcap"))) {
 *     while (r.hasNext()) { PcapReader.Record p = r.next(); ... }
 * }
 * }</pre>
 */
public final class PcapReader implements Iterator<PcapReader.Record>, Closeable {

    /** {@value}: the most captured bytes one record may hold (tshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
    public static final int MAX_PACKET = 262_144;
    /** {@value}: the largest pcapng block read: a packet plus generous room for options. */
    public static final int MAX_BLOCK = MAX_PACKET + 65_536;

    private static final long PCAPNG_SHB = 0x0A0D0D0AL;

    /**
     * One captured packet.
     *
     * @param number         tshark's frame number, from 1
     * @param linkType       LINKTYPE_ of its interface, e.g. {@link Numbers.LinkType#ETHERNET}
     * @param data           the captured bytes
     * @param originalLength the length on the wire (more than {@code data.length} when cut by a snap length)
     * @param time           when it was captured (frame.time); empty for a pcapng Simple Packet Block,
     *                       which carries no time, and for a time stamp past {@link Instant}'s range
     * @param fileOffset     where its record starts in the file
     */
    public record Record(int number, int linkType, byte[] data, long originalLength, Optional<Instant> time,
            long fileOffset) {

        public Record {
            Objects.requireNonNull(time, "time (Optional.empty() when the record has none)");
        }
    }

    /** Something wrong with the file itself, at {@code offset} for {@code length} bytes of the file. */
    public record Problem(long offset, long length, String message) {
    }

    private final InputStream in;
    private final long size;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Integer> interfaces = new ArrayList<>();
    private final List<Long> unitsPerSecond = new ArrayList<>();
    private String format = "unknown";
    private long at;
    private int number = 1;
    private boolean pcapng;
    private boolean littleEndian;
    private boolean nanos;
    private int linkType;
    private boolean done;
    private Record next;

    private PcapReader(InputStream in, long size) {
        this.in = in;
        this.size = size;
        start();
    }

    /** Reads {@code file} as it is iterated; close the reader when done. */
    public static PcapReader open(Path file) {
        try {
            return new PcapReader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read capture file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file already in memory. */
    public static PcapReader of(byte[] file) {
        return new PcapReader(new ByteArrayInputStream(file), file.length);
    }

    /** Reads a stream of unknown length, e.g. a capturer's {@code -w -} output. */
    public static PcapReader of(InputStream in) {
        return new PcapReader(in, -1);
    }

    /** The file format, e.g. {@code "pcapng"} or {@code "pcap little endian, microseconds"}. */
    public String format() {
        return format;
    }

    /** The link type of a classic pcap file's global header, e.g. 1 for Ethernet; 0 for pcapng (per interface there). */
    public int linkType() {
        return linkType;
    }

    /** Problems of the file found so far (all of them once {@link #hasNext()} is {@code false}). */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = pcapng ? pcapngRecord() : classicRecord();
            } catch (IOException e) {
                problems.add(new Problem(at, 0, "cannot read the capture file: " + e.getMessage()));
                next = null;
            }
            done = next == null;
        }
        return next != null;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more packets in this capture file");
        }
        Record r = next;
        next = null;
        return r;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            problems.add(new Problem(at, 0, "cannot close the capture file: " + e.getMessage()));
        }
    }

    private void start() {
        try {
            byte[] magic = read(4);
            if (magic.length < 4) {
                fail(0, magic.length, "truncated: a capture file starts with a 4-byte magic number");
            } else if (Bytes.u32(magic, 0) == PCAPNG_SHB) {
                pcapng = true;
                format = "pcapng";
                byte[] rest = read(8);
                if (rest.length < 8) {
                    fail(0, 4 + rest.length, "truncated: pcapng block header needs 12 bytes, have " + (4 + rest.length));
                } else {
                    sectionHeader(Arrays.copyOfRange(rest, 0, 4), Arrays.copyOfRange(rest, 4, 8));
                }
            } else {
                classicHeader(magic);
            }
        } catch (IOException e) {
            fail(0, 0, "cannot read the capture file: " + e.getMessage());
        }
    }

    private void classicHeader(byte[] magicBytes) throws IOException {
        long magic = Bytes.u32(magicBytes, 0);
        if (magic == 0xa1b2c3d4L || magic == 0xa1b23c4dL) {
            littleEndian = false;
            nanos = magic == 0xa1b23c4dL;
        } else if (magic == 0xd4c3b2a1L || magic == 0x4d3cb2a1L) {
            littleEndian = true;
            nanos = magic == 0x4d3cb2a1L;
        } else {
            fail(0, size < 0 ? 4 : size, "not a capture file: magic " + Hex.plain(magicBytes, 0, 4)
                    + " is neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)");
            return;
        }
        format = "pcap " + (littleEndian ? "little" : "big") + " endian, " + (nanos ? "nanoseconds" : "microseconds");
        byte[] rest = read(20);
        if (rest.length < 20) {
            fail(0, 4 + rest.length, "truncated: pcap global header needs 24 bytes, have " + (4 + rest.length));
            return;
        }
        linkType = (int) (Bytes.u32(rest, 16, littleEndian) & 0x0fffffff);
    }

    private Record classicRecord() throws IOException {
        long start = at;
        byte[] h = read(16);
        if (h.length == 0) {
            return null;
        }
        if (h.length < 16) {
            return fail(start, h.length, "truncated: packet record header needs 16 bytes, have " + h.length);
        }
        long incl = Bytes.u32(h, 8, littleEndian);
        long orig = Bytes.u32(h, 12, littleEndian);
        if (size >= 0 && incl > size - at) {
            return fail(start, size - start, "truncated: packet " + number + " records " + incl
                    + " captured bytes, file has " + (size - at));
        }
        if (incl > MAX_PACKET) {
            return fail(start, 16, "packet " + number + " claims " + incl + " captured bytes; a pcap record holds at most "
                    + MAX_PACKET + " (the file is damaged or not a capture)");
        }
        byte[] data = read((int) incl);
        if (data.length < incl) {
            return fail(start, 16 + data.length, "truncated: packet " + number + " records " + incl
                    + " captured bytes, file has " + data.length);
        }
        long sec = Bytes.u32(h, 0, littleEndian);
        long frac = Bytes.u32(h, 4, littleEndian);
        return new Record(number++, linkType, data, orig, Optional.of(Instant.ofEpochSecond(sec, nanos ? frac : frac * 1000)), start);
    }

    // The rest of a Section Header Block after its type: total length, then the byte-order magic
    // that says in which order that length (and the whole section) is written.
    private void sectionHeader(byte[] length, byte[] bom) throws IOException {
        long magic = Bytes.u32(bom, 0);
        if (magic == 0x1A2B3C4DL) {
            littleEndian = false;
        } else if (magic == 0x4D3C2B1AL) {
            littleEndian = true;
        } else {
            fail(at - 4, 4, "pcapng Section Header Block has byte-order magic " + Hex.plain(bom, 0, 4)
                    + ", expected 1a2b3c4d");
            return;
        }
        interfaces.clear();
        unitsPerSecond.clear();
        long len = Bytes.u32(length, 0, littleEndian);
        if (blockLengthOk(at - 12, PCAPNG_SHB, len)) {
            skip(len - 12);
        }
    }

    private boolean blockLengthOk(long start, long type, long len) {
        long left = size < 0 ? Long.MAX_VALUE : size - start;
        if (len < 12 || len % 4 != 0 || len > left || len > MAX_BLOCK && type != PCAPNG_SHB) {
            fail(start, size < 0 ? 12 : size - start, "pcapng block of type " + Hex.number(type, 8) + " has total length "
                    + len + ", " + (size < 0 ? "at most " + MAX_BLOCK + " read" : (size - start) + " bytes left"));
            return false;
        }
        return true;
    }

    private Record pcapngRecord() throws IOException {
        while (!done) {
            long start = at;
            byte[] h = read(8);
            if (h.length == 0) {
                return null;
            }
            if (h.length < 8) {
                return fail(start, h.length, "truncated: pcapng block header needs 12 bytes, have " + h.length);
            }
            if (Bytes.u32(h, 0) == PCAPNG_SHB) {
                byte[] bom = read(4);
                if (bom.length < 4) {
                    return fail(start, 8 + bom.length, "truncated: pcapng block header needs 12 bytes, have " + (8 + bom.length));
                }
                sectionHeader(Arrays.copyOfRange(h, 4, 8), bom);
                continue;
            }
            long type = Bytes.u32(h, 0, littleEndian);
            long len = Bytes.u32(h, 4, littleEndian);
            if (!blockLengthOk(start, type, len)) {
                return null;
            }
            if (type == 1 || type == 6 || type == 3) {
                byte[] body = read((int) len - 8);
                if (body.length < len - 8) {
                    return fail(start, 8 + body.length, "truncated: pcapng block of type " + Hex.number(type, 8)
                            + " has total length " + len + ", " + (8 + body.length) + " bytes left");
                }
                Record r = block(type, len, body, start);
                if (r != null) {
                    return r;
                }
            } else {
                skip(len - 8);
            }
        }
        return null;
    }

    // body: the block after type and total length, trailing length included
    private Record block(long type, long len, byte[] body, long start) {
        boolean le = littleEndian;
        if (type == 1 && len >= 20) {
            interfaces.add(Bytes.u16(body, 0, le));
            unitsPerSecond.add(tsresol(body, 8, body.length - 4, le));
        } else if (type == 6 && len >= 32) {
            long ifc = Bytes.u32(body, 0, le);
            long cap = Bytes.u32(body, 12, le);
            long orig = Bytes.u32(body, 16, le);
            if (ifc >= interfaces.size()) {
                problems.add(new Problem(start, len, "Enhanced Packet Block names interface " + ifc
                        + ", only " + interfaces.size() + " described"));
            } else if (cap > len - 32) {
                problems.add(new Problem(start, len, "Enhanced Packet Block claims " + cap
                        + " captured bytes in a block of " + len));
            } else {
                byte[] data = Arrays.copyOfRange(body, 20, 20 + (int) cap);
                long units = (Bytes.u32(body, 4, le) << 32) | Bytes.u32(body, 8, le);
                return new Record(number++, interfaces.get((int) ifc), data, orig,
                        instant(units, unitsPerSecond.get((int) ifc)), start);
            }
        } else if (type == 3 && len >= 16) {
            long orig = Bytes.u32(body, 0, le);
            int cap = (int) Math.min(orig, len - 16);
            byte[] data = Arrays.copyOfRange(body, 4, 4 + cap);
            // A Simple Packet Block has no time stamp.
            return new Record(number++, interfaces.isEmpty() ? 1 : interfaces.get(0), data, orig, Optional.empty(), start);
        }
        return null;
    }

    // Seconds since 1970 in the interface's units; a value past Instant's range has no time.
    static Optional<Instant> instant(long units, long perSecond) {
        try {
            long seconds = Math.floorDiv(units, perSecond);
            long nanos = (long) (Math.floorMod(units, perSecond) * (1e9 / perSecond));
            return Optional.of(Instant.ofEpochSecond(seconds, nanos));
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    // if_tsresol (option 9): 2^-n or 10^-n seconds per unit; microseconds when absent (pcapng spec 4.2).
    private static long tsresol(byte[] f, int options, int end, boolean le) {
        int p = options;
        while (p + 4 <= end) {
            int code = Bytes.u16(f, p, le);
            int length = Bytes.u16(f, p + 2, le);
            if (code == 0) {
                break;
            }
            if (code == 9 && length == 1 && p + 4 < end) {
                int r = f[p + 4] & 0xff;
                int exponent = r & 0x7f;
                if ((r & 0x80) != 0) {
                    return exponent < 63 ? 1L << exponent : 1_000_000L;
                }
                return exponent <= 18 ? (long) Math.pow(10, exponent) : 1_000_000L;
            }
            p += 4 + ((length + 3) & ~3);
        }
        return 1_000_000L;
    }

    private Record fail(long offset, long length, String message) {
        problems.add(new Problem(offset, length, message));
        done = true;
        return null;
    }

    private byte[] read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        at += b.length;
        return b;
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    break;
                }
                s = 1;
            }
            left -= s;
            at += s;
        }
    }
}

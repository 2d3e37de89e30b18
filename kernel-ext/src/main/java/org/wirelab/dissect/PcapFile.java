package org.wirelab.dissect;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a classic pcap file or a pcapng file.
 *
 * <pre>
 *   d4 c3 b2 a1 02 00 04 00 ...   classic pcap, little endian, microseconds
 *   4d 3c b2 a1 ...               classic pcap, little endian, nanoseconds
 *   0a 0d 0d 0a ...               pcapng Section Header Block
 * </pre>
 */
final class PcapFile {

    /** One captured packet: its link type, bytes and capture time. */
    record Record(int number, int linkType, byte[] data, long originalLength, java.time.Instant time) {
    }

    final List<Record> records = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    String format = "unknown";

    static PcapFile read(byte[] f) {
        PcapFile p = new PcapFile();
        if (f.length < 4) {
            p.problems.add(new Problem(0, f.length, "truncated: a capture file starts with a 4-byte magic number"));
        } else if (Bytes.u32(f, 0) == 0x0A0D0D0AL) {
            p.pcapng(f);
        } else {
            p.classic(f);
        }
        return p;
    }

    private void classic(byte[] f) {
        long magic = Bytes.u32(f, 0);
        boolean le;
        boolean nano;
        if (magic == 0xa1b2c3d4L || magic == 0xa1b23c4dL) {
            le = false;
            nano = magic == 0xa1b23c4dL;
        } else if (magic == 0xd4c3b2a1L || magic == 0x4d3cb2a1L) {
            le = true;
            nano = magic == 0x4d3cb2a1L;
        } else {
            problems.add(new Problem(0, f.length, "not a capture file: magic " + Bytes.hex(f, 0, 4)
                    + " is neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)"));
            return;
        }
        format = "pcap " + (le ? "little" : "big") + " endian, " + (nano ? "nanoseconds" : "microseconds");
        if (f.length < 24) {
            problems.add(new Problem(0, f.length, "truncated: pcap global header needs 24 bytes, have " + f.length));
            return;
        }
        int linkType = (int) (u32(f, 20, le) & 0x0fffffff);
        int at = 24;
        int number = 1;
        while (at < f.length) {
            if (f.length - at < 16) {
                problems.add(new Problem(at, f.length - at, "truncated: packet record header needs 16 bytes, have "
                        + (f.length - at)));
                return;
            }
            long incl = u32(f, at + 8, le);
            long orig = u32(f, at + 12, le);
            if (incl > f.length - at - 16) {
                problems.add(new Problem(at, f.length - at, "truncated: packet " + number + " records " + incl
                        + " captured bytes, file has " + (f.length - at - 16)));
                return;
            }
            byte[] data = new byte[(int) incl];
            System.arraycopy(f, at + 16, data, 0, data.length);
            long sec = u32(f, at, le);
            long frac = u32(f, at + 4, le);
            records.add(new Record(number++, linkType, data, orig,
                    java.time.Instant.ofEpochSecond(sec, nano ? frac : frac * 1000)));
            at += 16 + (int) incl;
        }
    }

    private void pcapng(byte[] f) {
        format = "pcapng";
        List<Integer> interfaces = new ArrayList<>();
        List<Long> unitsPerSecond = new ArrayList<>();
        boolean le = true;
        int at = 0;
        int number = 1;
        while (at < f.length) {
            if (f.length - at < 12) {
                problems.add(new Problem(at, f.length - at, "truncated: pcapng block header needs 12 bytes, have "
                        + (f.length - at)));
                return;
            }
            long type = Bytes.u32(f, at) == 0x0A0D0D0AL ? 0x0A0D0D0AL : u32(f, at, le);
            if (type == 0x0A0D0D0AL) {
                long bom = Bytes.u32(f, at + 8);
                if (bom == 0x1A2B3C4DL) {
                    le = false;
                } else if (bom == 0x4D3C2B1AL) {
                    le = true;
                } else {
                    problems.add(new Problem(at + 8, 4, "pcapng Section Header Block has byte-order magic "
                            + Bytes.hex(f, at + 8, 4) + ", expected 1a2b3c4d"));
                    return;
                }
                interfaces.clear();
                unitsPerSecond.clear();
            }
            long len = u32(f, at + 4, le);
            if (len < 12 || len % 4 != 0 || len > f.length - at) {
                problems.add(new Problem(at, f.length - at, "pcapng block of type " + Bytes.hex0x(type, 8)
                        + " has total length " + len + ", " + (f.length - at) + " bytes left"));
                return;
            }
            int body = at + 8;
            if (type == 1 && len >= 20) {
                interfaces.add(u16(f, body, le));
                unitsPerSecond.add(tsresol(f, body + 8, at + (int) len - 4, le));
            } else if (type == 6 && len >= 32) {
                long ifc = u32(f, body, le);
                long cap = u32(f, body + 12, le);
                long orig = u32(f, body + 16, le);
                if (ifc >= interfaces.size()) {
                    problems.add(new Problem(at, (int) len, "Enhanced Packet Block names interface " + ifc
                            + ", only " + interfaces.size() + " described"));
                } else if (cap > len - 32) {
                    problems.add(new Problem(at, (int) len, "Enhanced Packet Block claims " + cap
                            + " captured bytes in a block of " + len));
                } else {
                    byte[] data = new byte[(int) cap];
                    System.arraycopy(f, body + 20, data, 0, data.length);
                    long units = (u32(f, body + 4, le) << 32) | u32(f, body + 8, le);
                    java.time.Instant time = instant(units, unitsPerSecond.get((int) ifc));
                    records.add(new Record(number++, interfaces.get((int) ifc), data, orig, time));
                }
            } else if (type == 3 && len >= 16) {
                long orig = u32(f, body, le);
                int cap = (int) Math.min(orig, len - 16);
                byte[] data = new byte[cap];
                System.arraycopy(f, body + 4, data, 0, cap);
                // A Simple Packet Block has no time stamp.
                records.add(new Record(number++, interfaces.isEmpty() ? 1 : interfaces.get(0), data, orig, null));
            }
            at += (int) len;
        }
    }

    // Seconds since 1970 in the interface's units; a value past Instant's range has no time.
    static java.time.Instant instant(long units, long perSecond) {
        try {
            long seconds = Math.floorDiv(units, perSecond);
            long nanos = (long) (Math.floorMod(units, perSecond) * (1e9 / perSecond));
            return java.time.Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    // if_tsresol (option 9): 2^-n or 10^-n seconds per unit; microseconds when absent (pcapng spec 4.2).
    private static long tsresol(byte[] f, int options, int end, boolean le) {
        int at = options;
        while (at + 4 <= end) {
            int code = u16(f, at, le);
            int length = u16(f, at + 2, le);
            if (code == 0) {
                break;
            }
            if (code == 9 && length == 1 && at + 4 < end) {
                int r = f[at + 4] & 0xff;
                int exponent = r & 0x7f;
                if ((r & 0x80) != 0) {
                    return exponent < 63 ? 1L << exponent : 1_000_000L;
                }
                return exponent <= 18 ? (long) Math.pow(10, exponent) : 1_000_000L;
            }
            at += 4 + ((length + 3) & ~3);
        }
        return 1_000_000L;
    }

    private static long u32(byte[] b, int i, boolean le) {
        return le ? Bytes.u32le(b, i) : Bytes.u32(b, i);
    }

    private static int u16(byte[] b, int i, boolean le) {
        return le ? Bytes.u16le(b, i) : Bytes.u16(b, i);
    }
}

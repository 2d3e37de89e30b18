package org.wirelab.pcap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wirelab.wire.Addresses;
import org.wirelab.wire.Bytes;
import org.wirelab.wire.Numbers.EtherType;
import org.wirelab.wire.Numbers.IpProtocol;
import org.wirelab.wire.Numbers.LinkType;
import org.wirelab.wire.Numbers.TcpOptionKind;
import org.wirelab.wire.PcapReader;
import org.wirelab.wire.TcpFlags;

/**
 * A one-line-per-packet summary of a capture file read by {@link PcapReader}: Ethernet / NULL /
 * raw IP, IPv4 / IPv6, TCP / UDP headers. Only what {@link Capture}'s listing needs; the full
 * dissector lives elsewhere.
 */
final class PcapListing {

    private static final byte[] NONE = new byte[0];

    private PcapListing() {
    }

    /**
     * One listed record: its line, its TCP flags (0 when not TCP) and its TCP payload (empty when
     * none).
     */
    record Packet(String line, int tcpFlags, byte[] payload) {

        Packet(String line) {
            this(line, 0, NONE);
        }
    }

    /** One line per record, e.g. {@code 1  0.000000  127.0.0.1:51234 → 127.0.0.1:8080  [SYN] seq_raw=1 len=0}. */
    static List<String> lines(byte[] file) {
        return packets(PcapReader.of(file)).stream().map(Packet::line).toList();
    }

    /**
     * The records {@code reader} reads, each with the line {@link #lines} gives it, then a line for
     * a damaged end; fails when the file is not a capture at all.
     */
    static List<Packet> packets(PcapReader reader) {
        List<Packet> out = new ArrayList<>();
        long first = Long.MIN_VALUE;
        Windows windows = new Windows();
        try (reader) {
            while (reader.hasNext()) {
                PcapReader.Record r = reader.next();
                long micros = r.time().map(t -> t.getEpochSecond() * 1_000_000L + t.getNano() / 1000).orElse(0L);
                if (first == Long.MIN_VALUE) {
                    first = micros;
                }
                long rel = micros - first;
                String time = String.format("%d.%06d", rel / 1_000_000L, Math.abs(rel % 1_000_000L));
                Packet p = frame(r.data(), 0, r.data().length, r.linkType(), windows);
                out.add(new Packet(r.number() + "  " + time + "  " + p.line(), p.tcpFlags(), p.payload()));
            }
        }
        for (PcapReader.Problem problem : reader.problems()) {
            if (out.isEmpty()) {
                throw new IllegalArgumentException(problem.message());
            }
            out.add(new Packet((out.size() + 1) + "  " + problem.message()));
        }
        return out;
    }

    /**
     * The window scale each side announced in its SYN (RFC 7323 §2.2), so that a listing shows the
     * window as Wireshark's {@code tcp.window_size} does: the 16-bit field shifted left by the
     * sender's scale, once both SYNs carried the option; a SYN's own window is never scaled.
     */
    static final class Windows {
        // "src:port→dst:port" -> the shift its SYN announced, or -1 for a SYN without the option
        private final java.util.Map<String, Integer> shift = new java.util.HashMap<>();

        /** The window text of one segment, e.g. {@code win=65536 (64×1024)} or {@code win=65495}. */
        String window(String from, String to, int flags, int field, byte[] b, int options, int dataAt) {
            String key = from + "→" + to;
            if ((flags & TcpFlags.SYN) != 0) {
                shift.put(key, windowScale(b, options, dataAt));
                return "win=" + field;
            }
            Integer mine = shift.get(key);
            Integer theirs = shift.get(to + "→" + from);
            if (mine == null || theirs == null) {
                return "win=" + field + " (scale unknown: no SYN)";
            }
            if (mine < 0 || theirs < 0) {
                return "win=" + field;
            }
            return "win=" + ((long) field << mine) + " (" + field + "×" + (1 << mine) + ")";
        }
    }

    private static Packet frame(byte[] b, int at, int len, int linkType, Windows windows) {
        int end = at + len;
        int ip;
        switch (linkType) {
            case LinkType.ETHERNET -> {
                if (len < 14) {
                    return new Packet("Ethernet header truncated");
                }
                int type = Bytes.u16(b, at + 12);
                if (type != EtherType.IPV4 && type != EtherType.IPV6) {
                    return new Packet(String.format("ethertype 0x%04x", type));
                }
                ip = at + 14;
            }
            case LinkType.NULL -> ip = at + 4;
            case LinkType.RAW, LinkType.IPV4, LinkType.IPV6 -> ip = at;
            default -> {
                return new Packet("link type " + linkType + " (not listed)");
            }
        }
        if (ip >= end) {
            return new Packet("no IP header");
        }
        int version = (b[ip] & 0xff) >>> 4;
        String src;
        String dst;
        int proto;
        int l4;
        if (version == 4 && ip + 20 <= end) {
            int ihl = (b[ip] & 0x0f) * 4;
            proto = b[ip + 9] & 0xff;
            src = Addresses.text(b, ip + 12, 4);
            dst = Addresses.text(b, ip + 16, 4);
            end = Math.min(end, ip + Bytes.u16(b, ip + 2));
            l4 = ip + ihl;
        } else if (version == 6 && ip + 40 <= end) {
            proto = b[ip + 6] & 0xff;
            src = "[" + Addresses.text(b, ip + 8, 16) + "]";
            dst = "[" + Addresses.text(b, ip + 24, 16) + "]";
            end = Math.min(end, ip + 40 + Bytes.u16(b, ip + 4));
            l4 = ip + 40;
        } else {
            return new Packet("IP header truncated or version " + version);
        }
        if (proto == IpProtocol.TCP && l4 + 20 <= end) {
            int flags = b[l4 + 13] & 0xff;
            int dataOffset = ((b[l4 + 12] & 0xff) >>> 4) * 4;
            StringBuilder line = new StringBuilder();
            line.append(src).append(':').append(Bytes.u16(b, l4)).append(" → ")
                    .append(dst).append(':').append(Bytes.u16(b, l4 + 2)).append("  [").append(TcpFlags.text(flags)).append("]")
                    .append(" seq_raw=").append(Bytes.u32(b, l4 + 4));
            if ((flags & TcpFlags.ACK) != 0) {
                line.append(" ack_raw=").append(Bytes.u32(b, l4 + 8));
            }
            int dataAt = Math.min(end, l4 + Math.max(20, dataOffset));
            line.append(' ').append(windows.window(src + ":" + Bytes.u16(b, l4), dst + ":" + Bytes.u16(b, l4 + 2), flags,
                    Bytes.u16(b, l4 + 14), b, l4 + 20, dataAt)).append(" len=").append(end - dataAt);
            line.append(fastOpen(b, l4 + 20, dataAt));
            return new Packet(line.toString(), flags, Arrays.copyOfRange(b, dataAt, end));
        }
        if (proto == IpProtocol.UDP && l4 + 8 <= end) {
            return new Packet(src + ":" + Bytes.u16(b, l4) + " → " + dst + ":" + Bytes.u16(b, l4 + 2)
                    + "  UDP len=" + (Bytes.u16(b, l4 + 4) - 8));
        }
        return new Packet(src + " → " + dst + "  IP protocol " + proto);
    }

    // The shift of a window scale option (kind 3, RFC 7323 §2.2), at most 14; -1 without the option.
    private static int windowScale(byte[] b, int at, int end) {
        int i = option(b, at, end, TcpOptionKind.WINDOW_SCALE);
        return i >= 0 && (b[i + 1] & 0xff) == 3 && i + 2 < end ? Math.min(14, b[i + 2] & 0xff) : -1;
    }

    // " TFO=R" for a Fast Open cookie request, " TFO=C" for a cookie (RFC 7413 §4.1.1, TCP option
    // kind 34), as Wireshark's info column writes them; empty without the option.
    private static String fastOpen(byte[] b, int at, int end) {
        int i = option(b, at, end, TcpOptionKind.FAST_OPEN);
        return i < 0 ? "" : (b[i + 1] & 0xff) == 2 ? " TFO=R" : " TFO=C";
    }

    // The offset of the first TCP option of this kind between at and end (RFC 9293 §3.1: EOL ends
    // the list, NOP is one byte, every other option carries its length); -1 when absent or cut short.
    private static int option(byte[] b, int at, int end, int kind) {
        int i = at;
        while (i < end) {
            int k = b[i] & 0xff;
            if (k == TcpOptionKind.EOL) {
                return -1;
            }
            if (k == TcpOptionKind.NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end || (b[i + 1] & 0xff) < 2) {
                return -1;
            }
            if (k == kind) {
                return i;
            }
            i += b[i + 1] & 0xff;
        }
        return -1;
    }
}

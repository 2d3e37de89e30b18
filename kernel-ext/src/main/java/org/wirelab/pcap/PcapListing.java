package org.wirelab.pcap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A one-line-per-packet summary of a classic pcap file: global header, records, Ethernet / NULL /
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
        return packets(file).stream().map(Packet::line).toList();
    }

    /** The records of {@code file}, each with the line {@link #lines} gives it. */
    static List<Packet> packets(byte[] file) {
        List<Packet> out = new ArrayList<>();
        if (file.length < 24) {
            throw new IllegalArgumentException("not a pcap file: " + file.length + " bytes, the global header alone has 24");
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        boolean nanos;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            nanos = magic == 0xa1b23c4d;
        } else {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new IllegalArgumentException(String.format(
                        "not a classic pcap file: magic %08x (pcapng starts 0a0d0d0a)", in.getInt(0)));
            }
            nanos = magic == 0xa1b23c4d;
        }
        int linkType = in.getInt(20);
        int at = 24;
        long first = Long.MIN_VALUE;
        int number = 0;
        while (at + 16 <= file.length) {
            long sec = in.getInt(at) & 0xffffffffL;
            long frac = in.getInt(at + 4) & 0xffffffffL;
            int caplen = in.getInt(at + 8);
            at += 16;
            if (caplen < 0 || at + caplen > file.length) {
                out.add(new Packet((number + 1) + "  record truncated: " + caplen + " bytes announced, "
                        + (file.length - at) + " left"));
                break;
            }
            long micros = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
            if (first == Long.MIN_VALUE) {
                first = micros;
            }
            number++;
            long rel = micros - first;
            String time = String.format("%d.%06d", rel / 1_000_000L, Math.abs(rel % 1_000_000L));
            Packet p = frame(file, at, caplen, linkType);
            out.add(new Packet(number + "  " + time + "  " + p.line(), p.tcpFlags(), p.payload()));
            at += caplen;
        }
        return out;
    }

    private static Packet frame(byte[] b, int at, int len, int linkType) {
        int end = at + len;
        int ip;
        switch (linkType) {
            case 1 -> {
                if (len < 14) {
                    return new Packet("Ethernet header truncated");
                }
                int type = u16(b, at + 12);
                if (type != 0x0800 && type != 0x86dd) {
                    return new Packet(String.format("ethertype 0x%04x", type));
                }
                ip = at + 14;
            }
            case 0 -> ip = at + 4;
            case 101, 228, 229 -> ip = at;
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
            src = address(b, ip + 12, 4);
            dst = address(b, ip + 16, 4);
            end = Math.min(end, ip + u16(b, ip + 2));
            l4 = ip + ihl;
        } else if (version == 6 && ip + 40 <= end) {
            proto = b[ip + 6] & 0xff;
            src = "[" + address(b, ip + 8, 16) + "]";
            dst = "[" + address(b, ip + 24, 16) + "]";
            end = Math.min(end, ip + 40 + u16(b, ip + 4));
            l4 = ip + 40;
        } else {
            return new Packet("IP header truncated or version " + version);
        }
        if (proto == 6 && l4 + 20 <= end) {
            int flags = b[l4 + 13] & 0xff;
            int dataOffset = ((b[l4 + 12] & 0xff) >>> 4) * 4;
            StringBuilder line = new StringBuilder();
            line.append(src).append(':').append(u16(b, l4)).append(" → ")
                    .append(dst).append(':').append(u16(b, l4 + 2)).append("  [").append(flags(flags)).append("]")
                    .append(" seq_raw=").append(u32(b, l4 + 4));
            if ((flags & 0x10) != 0) {
                line.append(" ack_raw=").append(u32(b, l4 + 8));
            }
            int dataAt = Math.min(end, l4 + Math.max(20, dataOffset));
            line.append(" win=").append(u16(b, l4 + 14)).append(" len=").append(end - dataAt);
            line.append(fastOpen(b, l4 + 20, dataAt));
            return new Packet(line.toString(), flags, Arrays.copyOfRange(b, dataAt, end));
        }
        if (proto == 17 && l4 + 8 <= end) {
            return new Packet(src + ":" + u16(b, l4) + " → " + dst + ":" + u16(b, l4 + 2)
                    + "  UDP len=" + (u16(b, l4 + 4) - 8));
        }
        return new Packet(src + " → " + dst + "  IP protocol " + proto);
    }

    // " TFO=R" for a Fast Open cookie request, " TFO=C" for a cookie (RFC 7413 §4.1.1, TCP option
    // kind 34), as Wireshark's info column writes them; empty without the option.
    private static String fastOpen(byte[] b, int at, int end) {
        int i = at;
        while (i < end) {
            int kind = b[i] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end || (b[i + 1] & 0xff) < 2) {
                break;
            }
            int optLen = b[i + 1] & 0xff;
            if (kind == 34) {
                return optLen == 2 ? " TFO=R" : " TFO=C";
            }
            i += optLen;
        }
        return "";
    }

    private static String flags(int f) {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        List<String> on = new ArrayList<>();
        for (int bit : new int[] {1, 0, 2, 3, 4, 5, 6, 7}) {
            if ((f & (1 << bit)) != 0) {
                on.add(names[bit]);
            }
        }
        return String.join(", ", on);
    }

    // IPv6 in the RFC 5952 short form Wireshark shows (::1), IPv4 dotted.
    static String address(byte[] b, int at, int len) {
        byte[] raw = Arrays.copyOfRange(b, at, at + len);
        if (len == 4) {
            try {
                return InetAddress.getByAddress(raw).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = u16(raw, i * 2);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(words[i]));
        }
        return s.toString();
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }
}

package org.wirelab.dissect;

import org.wirelab.wire.Addresses;
import org.wirelab.wire.Bytes;
import org.wirelab.wire.Hex;
import org.wirelab.wire.Numbers.EtherType;
import org.wirelab.wire.Numbers.IpProtocol;
import org.wirelab.wire.Numbers.LinkType;
import org.wirelab.wire.Numbers.TcpOptionKind;
import org.wirelab.wire.TcpFlags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one captured packet from the link layer to TCP/UDP, with offsets from the first byte of
 * the packet as tshark counts them.
 *
 * <pre>
 *   00 00 00 00 00 00 00 00 00 00 00 00 08 00   Ethernet II, type 0x0800 (IPv4)
 *   45 00 00 3c 21 b1 40 00 40 06 1b 09 7f 00 00 01 7f 00 00 01   IPv4, TCP, 127.0.0.1 -> 127.0.0.1
 *   db a2 46 a1 82 a8 2d b5 00 00 00 00 a0 02 ff d7 fe 30 00 00   TCP SYN (RFC 9293 §3.1)
 * </pre>
 */
final class PacketDissector {

    /** What reassembly needs from a TCP segment. */
    record Segment(String source, String destination, long seq, long ack, int flags, int payloadOffset,
                   int payloadLength) {
    }

    /** First sequence number seen per direction ("src:port -> dst:port"), for relative numbers. */
    private final Map<String, Long> base = new HashMap<>();

    final List<Node> nodes = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    Segment segment;
    String summary = "";

    Dissection dissect(int linkType, byte[] b) {
        nodes.clear();
        problems.clear();
        segment = null;
        summary = "";
        try {
            link(linkType, b);
        } catch (RuntimeException e) {
            problems.add(new Problem(0, b.length, "could not dissect: " + e));
        }
        return new Dissection("frame", b, Node.fields(nodes, 0), problems);
    }

    private void link(int linkType, byte[] b) {
        int n = b.length;
        switch (linkType) {
            case LinkType.ETHERNET -> {
                if (n < 14) {
                    problems.add(new Problem(0, n, "truncated: Ethernet II header needs 14 bytes, have " + n));
                    return;
                }
                Node eth = add("eth", 0, 14, "Ethernet II");
                eth.add("eth.dst", 0, 6, Hex.colons(b, 0, 6));
                eth.add("eth.src", 6, 6, Hex.colons(b, 6, 6));
                eth.add("eth.type", 12, 2, Hex.number(Bytes.u16(b, 12), 4));
                etherType(Bytes.u16(b, 12), b, 14, true);
            }
            case LinkType.LINUX_SLL -> {
                if (n < 16) {
                    problems.add(new Problem(0, n, "truncated: Linux cooked header (SLL) needs 16 bytes, have " + n));
                    return;
                }
                Node sll = add("sll", 0, 16, "Linux cooked capture v1");
                sll.add("sll.pkttype", 0, 2, Integer.toString(Bytes.u16(b, 0)));
                sll.add("sll.hatype", 2, 2, Integer.toString(Bytes.u16(b, 2)));
                int halen = Bytes.u16(b, 4);
                sll.add("sll.halen", 4, 2, Integer.toString(halen));
                address(sll, b, 6, Bytes.u16(b, 2), halen);
                sll.add("sll.etype", 14, 2, Hex.number(Bytes.u16(b, 14), 4));
                etherType(Bytes.u16(b, 14), b, 16, false);
            }
            case LinkType.LINUX_SLL2 -> {
                if (n < 20) {
                    problems.add(new Problem(0, n, "truncated: Linux cooked header v2 (SLL2) needs 20 bytes, have " + n));
                    return;
                }
                Node sll = add("sll", 0, 20, "Linux cooked capture v2");
                sll.add("sll.etype", 0, 2, Hex.number(Bytes.u16(b, 0), 4));
                sll.add("sll.reserved", 2, 2, Hex.number(Bytes.u16(b, 2), 4));
                sll.add("sll.ifindex", 4, 4, Long.toString(Bytes.u32(b, 4)));
                sll.add("sll.hatype", 8, 2, Integer.toString(Bytes.u16(b, 8)));
                sll.add("sll.pkttype", 10, 1, Integer.toString(Bytes.u8(b, 10)));
                int halen = Bytes.u8(b, 11);
                sll.add("sll.halen", 11, 1, Integer.toString(halen));
                address(sll, b, 12, Bytes.u16(b, 8), halen);
                etherType(Bytes.u16(b, 0), b, 20, false);
            }
            case LinkType.NULL -> {
                if (n < 4) {
                    problems.add(new Problem(0, n, "truncated: BSD loopback header needs 4 bytes, have " + n));
                    return;
                }
                long le = Bytes.u32le(b, 0);
                long family = le <= 0xffff ? le : Bytes.u32(b, 0);
                Node nul = add("null", 0, 4, "Null/Loopback");
                nul.add("null.family", 0, 4, Long.toString(family));
                if (family == 2) {
                    beyond(b, ipv4(b, 4, n));
                } else if (family == 24 || family == 28 || family == 30 || family == 10) {
                    beyond(b, ipv6(b, 4, n));
                } else {
                    data(b, 4, n);
                }
            }
            case LinkType.RAW, LinkType.RAW_BSD, LinkType.RAW_OPENBSD -> beyond(b, ip(b, 0, n));
            case LinkType.IPV4 -> beyond(b, ipv4(b, 0, n));
            case LinkType.IPV6 -> beyond(b, ipv6(b, 0, n));
            default -> problems.add(new Problem(0, n, "link-layer type " + linkType
                    + " is not one this dissector reads (Ethernet 1, NULL 0, SLL 113, SLL2 276, raw IP 101)"));
        }
    }

    /** Bytes after the IP packet on a link without padding. */
    private void beyond(byte[] b, int end) {
        if (end < b.length) {
            problems.add(new Problem(end, b.length - end, (b.length - end)
                    + " bytes after the end of the IP packet (its length field ends it at offset " + end + ")"));
        }
    }

    private Node add(String name, int offset, int length, String value) {
        Node node = new Node(name, offset, length, value);
        nodes.add(node);
        return node;
    }

    /** The 8-byte link-layer address field of SLL / SLL2, Ethernet or other, then its unused rest. */
    private static void address(Node sll, byte[] b, int at, int hatype, int halen) {
        int used = Math.min(halen, 8);
        if ((hatype == 1 || hatype == 772) && halen == 6) {
            sll.add("sll.src.eth", at, 6, Hex.colons(b, at, 6));
        } else if (used > 0) {
            sll.add("sll.src.other", at, used, Hex.colons(b, at, used));
        }
        if (used < 8) {
            sll.add("sll.unused", at + used, 8 - used, Hex.colons(b, at + used, 8 - used));
        }
    }

    private void etherType(int type, byte[] b, int at, boolean ethernet) {
        int end = switch (type) {
            case EtherType.IPV4 -> ipv4(b, at, b.length);
            case EtherType.IPV6 -> ipv6(b, at, b.length);
            default -> data(b, at, b.length);
        };
        if (end < b.length) {
            if (ethernet) {
                add("eth.padding", end, b.length - end, Hex.colons(b, end, b.length - end));
            } else {
                add("sll.trailer", end, b.length - end, Hex.colons(b, end, b.length - end));
            }
        }
    }

    private int ip(byte[] b, int at, int end) {
        if (at < end && (b[at] & 0xf0) == 0x60) {
            return ipv6(b, at, end);
        }
        return ipv4(b, at, end);
    }

    private int data(byte[] b, int at, int end) {
        if (at < end) {
            add("data.data", at, end - at, Hex.colons(b, at, end - at));
        }
        return end;
    }

    /** IPv4 header, RFC 791 §3.1; returns the end of the datagram. */
    private int ipv4(byte[] b, int o, int end) {
        int have = end - o;
        if (have < 20) {
            problems.add(new Problem(o, have, "truncated: IPv4 header needs 20 bytes, have " + have));
            return end;
        }
        int version = Bytes.u8(b, o) >> 4;
        int hl = (Bytes.u8(b, o) & 0xf) * 4;
        int total = Bytes.u16(b, o + 2);
        Node ip = add("ip", o, 0, "");
        ip.add("ip.version", o, 1, Integer.toString(version));
        ip.add("ip.hdr_len", o, 1, Integer.toString(hl));
        int ds = Bytes.u8(b, o + 1);
        Node dsf = ip.add("ip.dsfield", o + 1, 1, Hex.number(ds, 2));
        dsf.add("ip.dsfield.dscp", o + 1, 1, Integer.toString(ds >> 2));
        dsf.add("ip.dsfield.ecn", o + 1, 1, Integer.toString(ds & 3));
        ip.add("ip.len", o + 2, 2, Integer.toString(total));
        ip.add("ip.id", o + 4, 2, Hex.number(Bytes.u16(b, o + 4), 4));
        int ff = Bytes.u16(b, o + 6);
        Node flags = ip.add("ip.flags", o + 6, 1, Hex.number(ff >> 13, 2));
        flags.add("ip.flags.rb", o + 6, 1, Integer.toString((ff >> 15) & 1));
        flags.add("ip.flags.df", o + 6, 1, Integer.toString((ff >> 14) & 1));
        flags.add("ip.flags.mf", o + 6, 1, Integer.toString((ff >> 13) & 1));
        ip.add("ip.frag_offset", o + 6, 2, Integer.toString(ff & 0x1fff));
        ip.add("ip.ttl", o + 8, 1, Integer.toString(Bytes.u8(b, o + 8)));
        int proto = Bytes.u8(b, o + 9);
        ip.add("ip.proto", o + 9, 1, Integer.toString(proto));
        ip.add("ip.checksum", o + 10, 2, Hex.number(Bytes.u16(b, o + 10), 4));
        String src = Addresses.text(b, o + 12, 4);
        String dst = Addresses.text(b, o + 16, 4);
        ip.add("ip.src", o + 12, 4, src);
        ip.add("ip.dst", o + 16, 4, dst);
        if (version != 4 || hl < 20) {
            problems.add(new Problem(o, 1, "IPv4 header with version " + version + " and header length " + hl
                    + " (RFC 791 §3.1: version 4, at least 20 bytes)"));
            ip.length = 20;
            data(b, o + 20, end);
            return end;
        }
        if (hl > have) {
            ip.length = 20;
            problems.add(new Problem(o + 20, have - 20, "truncated: IPv4 header length " + hl + " needs "
                    + (hl - have) + " more bytes"));
            return end;
        }
        if (hl > 20) {
            ip.add("ip.options", o + 20, hl - 20, Hex.colons(b, o + 20, hl - 20));
        }
        int datagramEnd = o + total;
        if (total < hl) {
            problems.add(new Problem(o + 2, 2, "IPv4 total length " + total + " is shorter than its header (" + hl + ")"));
            datagramEnd = end;
        } else if (datagramEnd > end) {
            problems.add(new Problem(o + hl, end - o - hl, "truncated: IPv4 total length " + total + ", captured "
                    + have + " bytes"));
            ip.length = have;
            transport(proto, src, dst, b, o + hl, end, true);
            return end;
        }
        ip.length = datagramEnd - o;
        summary = src + " -> " + dst;
        if ((ff & 0x3fff) != 0) {
            data(b, o + hl, datagramEnd);
        } else {
            transport(proto, src, dst, b, o + hl, datagramEnd, false);
        }
        return datagramEnd;
    }

    /** IPv6 header, RFC 8200 §3; returns the end of the packet. */
    private int ipv6(byte[] b, int o, int end) {
        int have = end - o;
        if (have < 40) {
            problems.add(new Problem(o, have, "truncated: IPv6 header needs 40 bytes, have " + have));
            return end;
        }
        long first = Bytes.u32(b, o);
        Node ip = add("ipv6", o, 0, "");
        ip.add("ipv6.version", o, 1, Long.toString(first >>> 28));
        ip.add("ipv6.tclass", o, 4, Hex.number((first >>> 20) & 0xff, 8));
        ip.add("ipv6.flow", o + 1, 3, Hex.number(first & 0xfffff, 6));
        int plen = Bytes.u16(b, o + 4);
        int next = Bytes.u8(b, o + 6);
        ip.add("ipv6.plen", o + 4, 2, Integer.toString(plen));
        ip.add("ipv6.nxt", o + 6, 1, Integer.toString(next));
        ip.add("ipv6.hlim", o + 7, 1, Integer.toString(Bytes.u8(b, o + 7)));
        String src = Addresses.text(b, o + 8, 16);
        String dst = Addresses.text(b, o + 24, 16);
        ip.add("ipv6.src", o + 8, 16, src);
        ip.add("ipv6.dst", o + 24, 16, dst);
        int packetEnd = o + 40 + plen;
        summary = src + " -> " + dst;
        if (packetEnd > end) {
            problems.add(new Problem(o + 40, end - o - 40, "truncated: IPv6 payload length " + plen + ", captured "
                    + (have - 40) + " bytes"));
            ip.length = have;
            transport(next, "[" + src + "]", "[" + dst + "]", b, o + 40, end, true);
            return end;
        }
        ip.length = 40 + plen;
        transport(next, "[" + src + "]", "[" + dst + "]", b, o + 40, packetEnd, false);
        return packetEnd;
    }

    private void transport(int proto, String src, String dst, byte[] b, int o, int end, boolean truncated) {
        switch (proto) {
            case IpProtocol.TCP -> tcp(src, dst, b, o, end, truncated);
            case IpProtocol.UDP -> udp(b, o, end);
            default -> data(b, o, end);
        }
    }

    /** TCP header, RFC 9293 §3.1. */
    private void tcp(String src, String dst, byte[] b, int o, int end, boolean truncated) {
        int have = end - o;
        if (have < 20) {
            problems.add(new Problem(o, have, "truncated: TCP header needs 20 bytes, have " + have));
            return;
        }
        int sport = Bytes.u16(b, o);
        int dport = Bytes.u16(b, o + 2);
        long seq = Bytes.u32(b, o + 4);
        long ack = Bytes.u32(b, o + 8);
        int hl = (Bytes.u8(b, o + 12) >> 4) * 4;
        int flags = Bytes.u16(b, o + 12) & 0x0fff;
        String from = src + ":" + sport;
        String to = dst + ":" + dport;
        long fwdBase = base.computeIfAbsent(from + " -> " + to, k -> (flags & TcpFlags.SYN) != 0 ? seq : (seq - 1) & 0xffffffffL);
        // like tshark: without the peer's SYN, its base is taken from the first acknowledgment seen
        Long revBase = (flags & TcpFlags.ACK) == 0 ? base.get(to + " -> " + from)
                : base.computeIfAbsent(to + " -> " + from, k -> (ack - 1) & 0xffffffffL);

        Node tcp = add("tcp", o, have, "");
        tcp.add("tcp.srcport", o, 2, Integer.toString(sport));
        tcp.add("tcp.dstport", o + 2, 2, Integer.toString(dport));
        tcp.add("tcp.seq", o + 4, 4, Long.toString((seq - fwdBase) & 0xffffffffL));
        tcp.add("tcp.seq_raw", o + 4, 4, Long.toString(seq));
        String ackRel = (flags & TcpFlags.ACK) == 0 ? "0" : revBase == null ? Long.toString(ack)
                : Long.toString((ack - revBase) & 0xffffffffL);
        tcp.add("tcp.ack", o + 8, 4, ackRel);
        tcp.add("tcp.ack_raw", o + 8, 4, Long.toString(ack));
        tcp.add("tcp.hdr_len", o + 12, 1, Integer.toString(hl));
        Node f = tcp.add("tcp.flags", o + 12, 2, Hex.number(flags, 4));
        f.add("tcp.flags.res", o + 12, 1, Integer.toString((flags >> 9) & 7));
        f.add("tcp.flags.ae", o + 12, 1, Integer.toString((flags >> 8) & 1));
        for (int bit = 7; bit >= 0; bit--) {
            f.add("tcp.flags." + TcpFlags.filterName(bit), o + 13, 1, Integer.toString((flags >> bit) & 1));
        }
        tcp.add("tcp.window_size_value", o + 14, 2, Integer.toString(Bytes.u16(b, o + 14)));
        tcp.add("tcp.checksum", o + 16, 2, Hex.number(Bytes.u16(b, o + 16), 4));
        tcp.add("tcp.urgent_pointer", o + 18, 2, Integer.toString(Bytes.u16(b, o + 18)));
        summary = from + " -> " + to + " [" + TcpFlags.text(flags) + "] seq=" + ((seq - fwdBase) & 0xffffffffL)
                + ((flags & TcpFlags.ACK) != 0 ? " ack=" + ackRel : "");
        if (hl < 20) {
            problems.add(new Problem(o + 12, 1, "TCP header length " + hl + " is below the minimum of 20 (RFC 9293 §3.1)"));
            data(b, o + 20, end);
            return;
        }
        if (hl > have) {
            problems.add(new Problem(o + 20, have - 20, "truncated: TCP header length " + hl + " needs "
                    + (hl - have) + " more bytes"));
            return;
        }
        if (hl > 20) {
            options(tcp.add("tcp.options", o + 20, hl - 20, Hex.colons(b, o + 20, hl - 20)), b, o + 20, o + hl);
        }
        int payload = end - o - hl;
        if (payload > 0) {
            tcp.add("tcp.payload", o + hl, payload, Hex.colons(b, o + hl, payload));
            summary += " len=" + payload;
        }
        if (!truncated) {
            segment = new Segment(from, to, seq, ack, flags, o + hl, payload);
        }
    }

    /** TCP options, RFC 9293 §3.2. */
    private void options(Node options, byte[] b, int o, int end) {
        int p = o;
        while (p < end) {
            int kind = Bytes.u8(b, p);
            if (kind == TcpOptionKind.EOL) {
                Node eol = options.add("tcp.options.eol", p, 1, "00");
                eol.add("tcp.option_kind", p, 1, "0");
                if (p + 1 < end) {
                    options.add("tcp.options.padding", p + 1, end - p - 1, Hex.colons(b, p + 1, end - p - 1));
                }
                return;
            }
            if (kind == TcpOptionKind.NOP) {
                options.add("tcp.options.nop", p, 1, "01").add("tcp.option_kind", p, 1, "1");
                p++;
                continue;
            }
            if (p + 1 >= end || Bytes.u8(b, p + 1) < 2 || p + Bytes.u8(b, p + 1) > end) {
                problems.add(new Problem(p, end - p, "TCP option kind " + kind + " has a length that does not fit "
                        + "the options area (RFC 9293 §3.2)"));
                return;
            }
            int len = Bytes.u8(b, p + 1);
            String name = switch (kind) {
                case TcpOptionKind.MSS -> "tcp.options.mss";
                case TcpOptionKind.WINDOW_SCALE -> "tcp.options.wscale";
                case TcpOptionKind.SACK_PERMITTED -> "tcp.options.sack_perm";
                case TcpOptionKind.SACK -> "tcp.options.sack";
                case TcpOptionKind.TIMESTAMPS -> "tcp.options.timestamp";
                default -> "tcp.options.unknown";
            };
            Node opt = options.add(name, p, len, Hex.colons(b, p, len));
            opt.add("tcp.option_kind", p, 1, Integer.toString(kind));
            opt.add("tcp.option_len", p + 1, 1, Integer.toString(len));
            if (kind == TcpOptionKind.MSS && len == 4) {
                opt.add("tcp.options.mss_val", p + 2, 2, Integer.toString(Bytes.u16(b, p + 2)));
            } else if (kind == TcpOptionKind.WINDOW_SCALE && len == 3) {
                int shift = Bytes.u8(b, p + 2);
                opt.add("tcp.options.wscale.shift", p + 2, 1, Integer.toString(shift));
                opt.add("tcp.options.wscale.multiplier", p + 2, 1, Long.toString(1L << Math.min(shift, 62)));
            } else if (kind == TcpOptionKind.TIMESTAMPS && len == 10) {
                opt.add("tcp.options.timestamp.tsval", p + 2, 4, Long.toString(Bytes.u32(b, p + 2)));
                opt.add("tcp.options.timestamp.tsecr", p + 6, 4, Long.toString(Bytes.u32(b, p + 6)));
            } else if (len > 2) {
                opt.add("tcp.option.data", p + 2, len - 2, Hex.colons(b, p + 2, len - 2));
            }
            p += len;
        }
    }

    /** UDP header, RFC 768. */
    private void udp(byte[] b, int o, int end) {
        int have = end - o;
        if (have < 8) {
            problems.add(new Problem(o, have, "truncated: UDP header needs 8 bytes, have " + have));
            return;
        }
        Node udp = add("udp", o, have, "");
        udp.add("udp.srcport", o, 2, Integer.toString(Bytes.u16(b, o)));
        udp.add("udp.dstport", o + 2, 2, Integer.toString(Bytes.u16(b, o + 2)));
        udp.add("udp.length", o + 4, 2, Integer.toString(Bytes.u16(b, o + 4)));
        udp.add("udp.checksum", o + 6, 2, Hex.number(Bytes.u16(b, o + 6), 4));
        summary += " UDP " + Bytes.u16(b, o) + " -> " + Bytes.u16(b, o + 2);
        if (have > 8) {
            udp.add("udp.payload", o + 8, have - 8, Hex.colons(b, o + 8, have - 8));
        }
    }
}

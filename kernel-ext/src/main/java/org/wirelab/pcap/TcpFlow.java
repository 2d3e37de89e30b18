package org.wirelab.pcap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import org.wirelab.wire.Bytes;
import org.wirelab.wire.Direction;
import org.wirelab.wire.Numbers.EtherType;
import org.wirelab.wire.Numbers.IpProtocol;
import org.wirelab.wire.TcpFlags;

/**
 * One synthesized TCP connection inside a {@link PcapWriter}; sequence and acknowledgment numbers
 * advance as RFC 9293 §3.4 says (SYN and FIN each use one sequence number).
 *
 * <p>The handshake looks like a Linux stack without TCP timestamps: SYN window 64240, SYN-ACK window
 * 65160, both with the options {@code mss 1460,nop,nop,sackOK,nop,wscale 7} (MSS 1440 over IPv6);
 * later segments carry a window of 502 (client) or 509 (server), i.e. 64256 / 65152 bytes after
 * scaling. Data is cut at the MSS, PSH is set on the last segment of each {@link #send}, and the
 * other side ACKs every segment at once, so Wireshark sees no gaps and no retransmissions.
 *
 * <p>The SYN of a flow with client 127.0.0.1:51234 → 127.0.0.1:8080 and ISN 0x1c2d3e4f:
 * <pre>
 * c8 34 1f 90 1c 2d 3e 4f  00 00 00 00 80 02 fa f0   ports, seq, ack 0, offset 8 words, SYN, window 64240
 * .. .. 00 00 02 04 05 b4  01 01 04 02 01 03 03 07   checksum, urg 0, MSS 1460, nop nop SACK_PERM, nop wscale 7
 * </pre>
 *
 * <pre>{@code
 * TcpFlow flow = pcap.tcp(client, server, Instant.now());
 * flow.send(Direction.SERVER_TO_CLIENT, body, Instant.now());
 * flow.fin(Direction.SERVER_TO_CLIENT, Instant.now());
 * }</pre>
 */
public final class TcpFlow {

    /** {@value}: window scale shift both sides announce, as Linux does for its default buffers. */
    public static final int WINDOW_SCALE = 7;

    private static final int CLIENT = 0;
    private static final int SERVER = 1;
    private static final byte[][] MACS = {
        {0x02, 0, 0, 0, 0, 0x01},
        {0x02, 0, 0, 0, 0, 0x02},
    };
    private static final int[] SYN_WINDOW = {64240, 65160};
    private static final int[] WINDOW = {502, 509};

    private final PcapWriter writer;
    private final InetSocketAddress[] address;
    private final boolean ipv6;
    private final int mss;
    private final int[] next = new int[2];
    private final short[] ipId = new short[2];
    private final boolean[] finSent = new boolean[2];
    private boolean reset;

    TcpFlow(PcapWriter writer, InetSocketAddress client, InetSocketAddress server, int isnClient, int isnServer,
            short idClient, short idServer) {
        this.writer = writer;
        this.address = new InetSocketAddress[] {resolved(client, "client"), resolved(server, "server")};
        InetAddress c = address[CLIENT].getAddress();
        InetAddress s = address[SERVER].getAddress();
        if ((c instanceof Inet6Address) != (s instanceof Inet6Address)) {
            throw new IllegalArgumentException("client " + client + " and server " + server
                    + " must both be IPv4 or both IPv6");
        }
        this.ipv6 = c instanceof Inet6Address;
        this.mss = ipv6 ? 1440 : 1460;
        next[CLIENT] = isnClient;
        next[SERVER] = isnServer;
        ipId[CLIENT] = idClient;
        ipId[SERVER] = idServer;
    }

    /** The MSS both sides announce and data is cut at: 1460 over IPv4, 1440 over IPv6. */
    public int mss() {
        return mss;
    }

    /**
     * Writes {@code data} from {@code dir}'s sender in segments of at most {@link #mss()} bytes,
     * each ACKed by the other side, PSH on the last one; empty data writes nothing.
     */
    public TcpFlow send(Direction dir, byte[] data, Instant t) {
        Objects.requireNonNull(data, "data");
        synchronized (writer) {
            int from = side(dir);
            ensureCanSend(from, dir);
            for (int off = 0; off < data.length; off += mss) {
                int len = Math.min(mss, data.length - off);
                boolean last = off + len == data.length;
                segment(from, t, TcpFlags.ACK | (last ? TcpFlags.PSH : 0), data, off, len, false);
                next[from] += len;
                segment(1 - from, t, TcpFlags.ACK, null, 0, 0, false);
            }
        }
        return this;
    }

    /** Writes a FIN (with ACK) from {@code dir}'s sender and the other side's ACK of it. */
    public TcpFlow fin(Direction dir, Instant t) {
        synchronized (writer) {
            int from = side(dir);
            ensureCanSend(from, dir);
            segment(from, t, TcpFlags.FIN | TcpFlags.ACK, null, 0, 0, false);
            next[from] += 1;
            finSent[from] = true;
            segment(1 - from, t, TcpFlags.ACK, null, 0, 0, false);
        }
        return this;
    }

    /** Writes an RST (with ACK) from {@code dir}'s sender, as Linux does on an abortive close; the flow ends. */
    public TcpFlow reset(Direction dir, Instant t) {
        synchronized (writer) {
            int from = side(dir);
            if (reset) {
                throw new IllegalStateException("connection " + this + " was already reset");
            }
            segment(from, t, TcpFlags.RST | TcpFlags.ACK, null, 0, 0, false);
            reset = true;
        }
        return this;
    }

    /** The next sequence number {@code dir}'s sender will use (tcp.nxtseq, raw), e.g. {@code 0x1c2d3e50}. */
    public long nextSeq(Direction dir) {
        synchronized (writer) {
            return next[side(dir)] & 0xffffffffL;
        }
    }

    @Override
    public String toString() {
        return address[CLIENT] + " → " + address[SERVER];
    }

    void handshake(Instant t) {
        segment(CLIENT, t, TcpFlags.SYN, null, 0, 0, true);
        next[CLIENT] += 1;
        segment(SERVER, t, TcpFlags.SYN | TcpFlags.ACK, null, 0, 0, true);
        next[SERVER] += 1;
        segment(CLIENT, t, TcpFlags.ACK, null, 0, 0, false);
    }

    private void ensureCanSend(int from, Direction dir) {
        if (reset) {
            throw new IllegalStateException("connection " + this + " was reset; nothing more can be sent");
        }
        if (finSent[from]) {
            throw new IllegalStateException(dir + " already sent its FIN on " + this
                    + "; the sender cannot send after its FIN (RFC 9293 §3.10.4)");
        }
    }

    private static int side(Direction dir) {
        return Objects.requireNonNull(dir, "dir") == Direction.CLIENT_TO_SERVER ? CLIENT : SERVER;
    }

    private static InetSocketAddress resolved(InetSocketAddress a, String role) {
        Objects.requireNonNull(a, role);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(role + " address " + a + " is unresolved; give an IP address");
        }
        return a;
    }

    // Ethernet + IP + TCP for one segment from side `from`; `synOptions` adds the 12 option bytes.
    private void segment(int from, Instant t, int flags, byte[] data, int off, int len, boolean synOptions) {
        int to = 1 - from;
        int optLen = synOptions ? 12 : 0;
        int tcpLen = 20 + optLen + len;
        int ipLen = ipv6 ? 40 : 20;
        byte[] frame = new byte[14 + ipLen + tcpLen];

        System.arraycopy(MACS[to], 0, frame, 0, 6);
        System.arraycopy(MACS[from], 0, frame, 6, 6);
        Bytes.put16(frame, 12, ipv6 ? EtherType.IPV6 : EtherType.IPV4);

        byte[] src = address[from].getAddress().getAddress();
        byte[] dst = address[to].getAddress().getAddress();
        int ip = 14;
        if (ipv6) {
            frame[ip] = 0x60;
            Bytes.put16(frame, ip + 4, tcpLen);
            frame[ip + 6] = IpProtocol.TCP;
            frame[ip + 7] = 64;
            System.arraycopy(src, 0, frame, ip + 8, 16);
            System.arraycopy(dst, 0, frame, ip + 24, 16);
        } else {
            frame[ip] = 0x45;
            Bytes.put16(frame, ip + 2, ipLen + tcpLen);
            Bytes.put16(frame, ip + 4, ipId[from]++);
            Bytes.put16(frame, ip + 6, 0x4000);
            frame[ip + 8] = 64;
            frame[ip + 9] = IpProtocol.TCP;
            System.arraycopy(src, 0, frame, ip + 12, 4);
            System.arraycopy(dst, 0, frame, ip + 16, 4);
            Bytes.put16(frame, ip + 10, ~sum(frame, ip, 20, 0) & 0xffff);
        }

        int tcp = ip + ipLen;
        Bytes.put16(frame, tcp, address[from].getPort());
        Bytes.put16(frame, tcp + 2, address[to].getPort());
        Bytes.put32(frame, tcp + 4, next[from]);
        boolean ack = (flags & TcpFlags.ACK) != 0;
        Bytes.put32(frame, tcp + 8, ack ? next[to] : 0);
        frame[tcp + 12] = (byte) (((20 + optLen) / 4) << 4);
        frame[tcp + 13] = (byte) flags;
        Bytes.put16(frame, tcp + 14, (flags & TcpFlags.SYN) != 0 ? SYN_WINDOW[from] : WINDOW[from]);
        if (synOptions) {
            int o = tcp + 20;
            frame[o] = 2;
            frame[o + 1] = 4;
            Bytes.put16(frame, o + 2, mss);
            frame[o + 4] = 1;
            frame[o + 5] = 1;
            frame[o + 6] = 4;
            frame[o + 7] = 2;
            frame[o + 8] = 1;
            frame[o + 9] = 3;
            frame[o + 10] = 3;
            frame[o + 11] = WINDOW_SCALE;
        }
        if (len > 0) {
            System.arraycopy(data, off, frame, tcp + 20 + optLen, len);
        }

        // Pseudo-header (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for IPv6) then the segment.
        long pseudo = sum(src, 0, src.length, 0);
        pseudo = sum(dst, 0, dst.length, pseudo);
        pseudo += IpProtocol.TCP + tcpLen;
        Bytes.put16(frame, tcp + 16, ~sum(frame, tcp, tcpLen, pseudo) & 0xffff);

        writer.record(t, frame);
    }

    // RFC 1071 ones' complement sum, folded to 16 bits.
    private static int sum(byte[] b, int at, int len, long start) {
        long s = start;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s += ((b[at + i] & 0xff) << 8) | (b[at + i + 1] & 0xff);
        }
        if (i < len) {
            s += (b[at + i] & 0xff) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}

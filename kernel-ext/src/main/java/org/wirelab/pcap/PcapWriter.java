package org.wirelab.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import org.wirelab.wire.PcapReader;
import java.util.Random;
import org.wirelab.lifecycle.Lifecycle;

/**
 * Writes a classic pcap file (the libpcap format, magic {@code a1 b2 c3 d4}, microsecond
 * timestamps) of synthesized TCP connections, so recorded streams open cleanly in Wireshark.
 *
 * <p>Link type: {@value #LINKTYPE_ETHERNET} (LINKTYPE_ETHERNET), the same link type a live capture
 * on Linux's {@code lo} produces, so synthesized and captured files dissect alike. Frames carry the
 * locally administered MACs {@code 02:00:00:00:00:01} (client) and {@code 02:00:00:00:00:02}
 * (server). IPv4 (ethertype {@code 0x0800}, DF set, TTL 64, IP ID counting up per sender) or IPv6
 * (ethertype {@code 0x86dd}, hop limit 64) is chosen from the addresses; IP and TCP checksums are
 * correct. Timestamps never go backwards in the file: a time earlier than the previous record is
 * written as the previous record's time.
 *
 * <p>A 24-byte global header as written here:
 * <pre>
 * d4 c3 b2 a1 02 00 04 00  00 00 00 00 00 00 00 00   magic (little endian), v2.4, thiszone 0, sigfigs 0
 * 00 00 04 00 01 00 00 00                            snaplen 262144, linktype 1
 * </pre>
 *
 * <pre>{@code
 * try (PcapWriter pcap = PcapWriter.create(Path.of("http.pcap")).seed(42)) {
 *     TcpFlow flow = pcap.tcp(client, server, Instant.now());
 *     flow.send(Direction.CLIENT_TO_SERVER, "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(), Instant.now());
 *     flow.fin(Direction.CLIENT_TO_SERVER, Instant.now());
 * }
 * }</pre>
 */
public final class PcapWriter implements AutoCloseable {

    /** {@value}: LINKTYPE_ETHERNET, the link type of every record. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** {@value}: the pcap magic number, microsecond resolution. */
    public static final int MAGIC = 0xa1b2c3d4;
    /** {@value}: snapshot length written in the global header. */
    public static final int SNAPLEN = 262144;

    private final OutputStream out;
    private final String name;
    private Random random;
    private long lastMicros = Long.MIN_VALUE;
    private int records;
    private boolean closed;

    private PcapWriter(OutputStream out, String name) {
        this(out, name, LINKTYPE_ETHERNET);
    }

    private PcapWriter(OutputStream out, String name, int linkType) {
        this.out = out;
        this.name = name;
        this.random = new Random(new SecureRandom().nextLong());
        byte[] header = new byte[24];
        le32(header, 0, MAGIC);
        le16(header, 4, 2);
        le16(header, 6, 4);
        le32(header, 16, SNAPLEN);
        le32(header, 20, linkType);
        write(header);
        flush();
    }

    // A writer that copies records read elsewhere (a capturer's output), each flushed at once.
    static PcapWriter copying(OutputStream out, int linkType) {
        return new PcapWriter(out, "copy", linkType);
    }

    // Writes a record read by PcapReader as it was: its time, captured bytes and original length.
    synchronized void copy(PcapReader.Record r) {
        java.time.Instant t = r.time().orElse(java.time.Instant.EPOCH);
        record(t, r.data(), r.originalLength());
        flush();
    }

    /** Creates (or truncates) {@code file}, e.g. {@code Path.of("ws.pcap")}, and writes the global header. */
    public static PcapWriter create(Path file) {
        try {
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            return Lifecycle.track("pcap", new PcapWriter(out, file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pcap file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes to {@code out} (closed by {@link #close()}), e.g. a {@code ByteArrayOutputStream}. */
    public static PcapWriter create(OutputStream out) {
        return new PcapWriter(new BufferedOutputStream(Objects.requireNonNull(out, "out"), 1 << 16), "stream");
    }

    /**
     * Makes initial sequence numbers and IP IDs of the flows opened from now on repeatable, e.g.
     * {@code seed(42)}; by default they are random.
     */
    public PcapWriter seed(long seed) {
        synchronized (this) {
            random = new Random(seed);
        }
        return this;
    }

    /**
     * Opens a TCP connection: writes SYN, SYN-ACK and ACK at {@code open}, e.g.
     * {@code tcp(new InetSocketAddress("127.0.0.1", 51234), new InetSocketAddress("127.0.0.1", 8080), t)}.
     * Both addresses must be IPv4 or both IPv6.
     */
    public synchronized TcpFlow tcp(InetSocketAddress client, InetSocketAddress server, Instant open) {
        ensureOpen();
        int isnClient = nonZero();
        int isnServer = nonZero();
        TcpFlow flow = new TcpFlow(this, client, server, isnClient, isnServer,
                (short) random.nextInt(), (short) random.nextInt());
        flow.handshake(open);
        return flow;
    }

    /** How many records (frames) were written so far, e.g. {@code 3} after a handshake. */
    public synchronized int records() {
        return records;
    }

    /** Flushes and closes the file; closing twice does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close pcap " + name + ": " + e.getMessage(), e);
            }
        }
        Lifecycle.untrack(this);
    }

    @Override
    public String toString() {
        return "PcapWriter[" + name + ", " + records + " records]";
    }

    // One record: 16-byte record header then the frame, the time clamped so it never goes back.
    synchronized void record(Instant t, byte[] frame) {
        record(t, frame, frame.length);
    }

    private void record(Instant t, byte[] frame, long originalLength) {
        ensureOpen();
        long micros = Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
        if (micros < lastMicros) {
            micros = lastMicros;
        }
        lastMicros = micros;
        byte[] header = new byte[16];
        le32(header, 0, (int) (micros / 1_000_000L));
        le32(header, 4, (int) (micros % 1_000_000L));
        le32(header, 8, frame.length);
        le32(header, 12, (int) originalLength);
        write(header);
        write(frame);
        records++;
    }

    private int nonZero() {
        int value;
        do {
            value = random.nextInt();
        } while (value == 0);
        return value;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("pcap " + name + " is closed");
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pcap " + name + ": " + e.getMessage(), e);
        }
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pcap " + name + ": " + e.getMessage(), e);
        }
    }

    static void le16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void le32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}

package org.wirelab.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.wirelab.dissect.Http2Dissection.FrameType;
import org.wirelab.wire.Bytes;

/**
 * The HTTP/2 client of {@link RealNetwork#http2Stall()}, run by a {@link Peer}: two streams on one
 * cleartext TCP connection with prior knowledge (RFC 9113 §3.3), the second request sent once the
 * server's first frame (its SETTINGS) arrived, so that the server answers the two apart. It notes when each frame
 * reached the application (the moment {@code read()} returned its last byte) and where the frame
 * sits in the server's byte stream, so both can be set against a capture:
 *
 * <pre>
 * 1764490262.123456 sent HEADERS s=1 GET /bytes/1200
 * 1764490262.124001 bytes 0..26 SETTINGS s=0 len=18
 * 1764490262.354321 bytes 63..1271 DATA s=1 len=1200 END_STREAM
 * </pre>
 *
 * Its frames are written by hand: the preface, an empty SETTINGS frame, a SETTINGS ACK, and request
 * HEADERS whose header block uses static-table indexes and literals without Huffman coding (RFC 7541).
 */
final class TwoStreams {

    /** The client connection preface (RFC 9113 §3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final int DATA = FrameType.DATA.code;
    static final int HEADERS = FrameType.HEADERS.code;
    static final int SETTINGS = FrameType.SETTINGS.code;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int ACK = 0x1;

    private TwoStreams() {
    }

    /**
     * GET {@code pathA} on stream 1, {@code gapMillis} after the server's first frame GET {@code pathB} on stream 3, then reads
     * until both streams ended (at most {@code timeoutMillis}); returns one line per event.
     */
    static String run(String host, int port, String pathA, String pathB, long gapMillis, int timeoutMillis)
            throws IOException, InterruptedException {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            String authority = host + ":" + port;
            synchronized (out) {
                out.write(concat(PREFACE, frame(SETTINGS, 0, 0, new byte[0]), frame(HEADERS, END_STREAM | END_HEADERS, 1, get(authority, pathA))));
                log.add(now() + " sent HEADERS s=1 GET " + pathA);
            }
            Reader reader = new Reader(s.getInputStream(), out, log);
            reader.start();
            // Stream 3's request waits until the server has spoken (its SETTINGS), then gapMillis more.
            if (!reader.firstFrame.await(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                log.add(now() + " error no frame from the server within " + timeoutMillis + " ms");
            }
            Thread.sleep(gapMillis);
            synchronized (out) {
                out.write(frame(HEADERS, END_STREAM | END_HEADERS, 3, get(authority, pathB)));
                log.add(now() + " sent HEADERS s=3 GET " + pathB);
            }
            reader.join(timeoutMillis);
            if (reader.error != null) {
                log.add(now() + " error " + reader.error);
            }
            s.close();
            reader.join(1000);
        }
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    // Reads frames until streams 1 and 3 both ended, noting each one; answers the server's SETTINGS.
    private static final class Reader extends Thread {
        private final InputStream in;
        private final OutputStream out;
        private final List<String> log;
        private volatile String error;
        final java.util.concurrent.CountDownLatch firstFrame = new java.util.concurrent.CountDownLatch(1);

        Reader(InputStream in, OutputStream out, List<String> log) {
            this.in = in;
            this.out = out;
            this.log = log;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buf = new byte[65536];
            int have = 0;
            long offset = 0;
            Set<Integer> ended = new HashSet<>();
            try {
                while (!ended.containsAll(List.of(1, 3))) {
                    int n = in.read(buf, have, buf.length - have);
                    if (n < 0) {
                        error = "the server closed the connection";
                        return;
                    }
                    String at = now();
                    have += n;
                    int used = 0;
                    while (have - used >= 9) {
                        int len = Bytes.u8(buf, used) << 16 | Bytes.u16(buf, used + 1);
                        if (have - used < 9 + len) {
                            break;
                        }
                        int type = Bytes.u8(buf, used + 3);
                        int flags = Bytes.u8(buf, used + 4);
                        int stream = (int) (Bytes.u32(buf, used + 5) & 0x7fff_ffffL);
                        boolean end = (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0;
                        log.add(at + " bytes " + offset + ".." + (offset + 9 + len - 1) + " " + (FrameType.of(type) == FrameType.UNKNOWN ? "type" + type : FrameType.of(type).name())
                                + " s=" + stream + " len=" + len + (end ? " END_STREAM" : "") + (type == SETTINGS && (flags & ACK) != 0 ? " ACK" : ""));
                        if (type == SETTINGS && (flags & ACK) == 0) {
                            synchronized (out) {
                                out.write(frame(SETTINGS, ACK, 0, new byte[0]));
                            }
                        }
                        if (end) {
                            ended.add(stream);
                        }
                        firstFrame.countDown();
                        offset += 9 + len;
                        used += 9 + len;
                    }
                    System.arraycopy(buf, used, buf, 0, have - used);
                    have -= used;
                    if (have == buf.length) {
                        error = "a frame larger than " + buf.length + " bytes";
                        return;
                    }
                }
            } catch (IOException e) {
                error = e.getMessage();
            }
        }
    }

    // :method GET (static index 2), :scheme http (6), :path (4) and :authority (1) as literals
    // without indexing, lengths below 127 (RFC 7541 §6.1, §6.2.2).
    static byte[] get(String authority, String path) {
        byte[] p = path.getBytes(StandardCharsets.US_ASCII);
        byte[] a = authority.getBytes(StandardCharsets.US_ASCII);
        if (p.length > 126 || a.length > 126) {
            throw new IllegalArgumentException("path and authority must be at most 126 bytes");
        }
        byte[] block = new byte[2 + 2 + p.length + 2 + a.length];
        int i = 0;
        block[i++] = (byte) 0x82;
        block[i++] = (byte) 0x86;
        block[i++] = 0x04;
        block[i++] = (byte) p.length;
        System.arraycopy(p, 0, block, i, p.length);
        i += p.length;
        block[i++] = 0x01;
        block[i++] = (byte) a.length;
        System.arraycopy(a, 0, block, i, a.length);
        return block;
    }

    /** A frame: 24-bit length, type, flags, 31-bit stream id, payload (RFC 9113 §4.1). */
    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24 & 0x7f);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    // Seconds since the epoch with microseconds: the clock dumpcap stamps packets with.
    private static String now() {
        Instant t = Instant.now();
        return t.getEpochSecond() + "." + String.format("%06d", t.getNano() / 1000);
    }
}

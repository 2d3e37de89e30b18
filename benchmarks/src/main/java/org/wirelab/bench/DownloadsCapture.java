package org.wirelab.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.wirelab.pcap.PcapWriter;
import org.wirelab.pcap.TcpFlow;
import org.wirelab.wire.Direction;

/**
 * Writes the capture file of the dissect benchmark: three HTTP/1.1 downloads of 20 MiB each over
 * loopback, synthesized by {@link PcapWriter} (MSS 1460, every segment ACKed), about 66 MB.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar org.wirelab.bench.DownloadsCapture /tmp/X.pcap}</pre>
 */
public final class DownloadsCapture {

    private DownloadsCapture() {
    }

    public static void main(String[] a) {
        int size = 20 * 1024 * 1024;
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        try (PcapWriter w = PcapWriter.create(Path.of(a[0])).seed(1)) {
            for (int c = 0; c < 3; c++) {
                TcpFlow f = w.tcp(new InetSocketAddress("127.0.0.1", 40000 + c), new InetSocketAddress("127.0.0.1", 8080), t);
                String request = "GET /file" + c + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
                String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n";
                f.send(Direction.CLIENT_TO_SERVER, request.getBytes(StandardCharsets.US_ASCII), t = t.plusMillis(1));
                f.send(Direction.SERVER_TO_CLIENT, head.getBytes(StandardCharsets.US_ASCII), t = t.plusMillis(1));
                f.send(Direction.SERVER_TO_CLIENT, body, t = t.plusMillis(1));
                f.fin(Direction.CLIENT_TO_SERVER, t = t.plusMillis(1));
                f.fin(Direction.SERVER_TO_CLIENT, t = t.plusMillis(1));
            }
        }
    }
}

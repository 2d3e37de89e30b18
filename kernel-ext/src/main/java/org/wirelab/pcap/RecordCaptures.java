package org.wirelab.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Records the captures {@link Capture#recorded(String)} ships, by capturing the demos live on
 * loopback. Needs dumpcap or tcpdump with permission to capture (root or CAP_NET_RAW).
 *
 * <pre>
 * java -cp kernel-ext/target/kernel-ext.jar org.wirelab.pcap.RecordCaptures kernel-ext/src/main/resources/org/wirelab/pcap/recorded
 * </pre>
 *
 * <p>{@code tcp-handshake}: a JDK {@link Socket} connects to a JDK {@link ServerSocket} on
 * 127.0.0.1, sends {@code ping\n}, the server answers {@code pong\n}, the client closes first, then
 * the server: handshake, two data segments with their ACKs, and both FINs (about 10 packets).
 */
public final class RecordCaptures {

    private RecordCaptures() {
    }

    /** Writes {@code tcp-handshake.pcap} into the folder {@code args[0]}, e.g. {@code /tmp/recorded}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp kernel-ext.jar org.wirelab.pcap.RecordCaptures <outdir>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        Path file = tcpHandshake(out.resolve("tcp-handshake.pcap"));
        System.out.println(file + " (" + Files.size(file) + " bytes)");
        Capture.recordedListing(file).forEach(System.out::println);
    }

    /** Captures the ping/pong exchange described above into {@code target} and returns it. */
    static Path tcpHandshake(Path target) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            Path captured;
            try (Capture capture = Capture.start(server.getLocalPort())) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5000);
                    client.setSoTimeout(5000);
                    try (Socket accepted = server.accept()) {
                        accepted.setSoTimeout(5000);
                        client.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                        readLine(accepted.getInputStream());
                        accepted.getOutputStream().write("pong\n".getBytes(StandardCharsets.US_ASCII));
                        readLine(client.getInputStream());
                        client.close();
                        // the server sees the client's FIN (end of stream) before closing its side
                        if (accepted.getInputStream().read() != -1) {
                            throw new IOException("expected the client's FIN");
                        }
                    }
                }
                captured = capture.stop();
            }
            Files.copy(captured, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(captured);
            return target;
        }
    }

    private static void readLine(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed before a line ended");
            }
        }
    }
}

package org.wirelab.tap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.wirelab.testing.Tools;

/** Test peers on loopback and a tshark capture of the tap's client leg. */
final class Wire {

    private Wire() {
    }

    /** A plain server socket on 127.0.0.1 whose accept and reads time out after 5 s. */
    static ServerSocket server() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        s.setSoTimeout(5000);
        return s;
    }

    static InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }

    static Socket connect(Tap tap) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), tap.port());
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return s;
    }

    static Socket accept(ServerSocket server) throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return s;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String readExactly(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    static String readToEnd(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** {@code tshark -r file -q -z follow,tcp,raw,N}: {@code [node 0 -> node 1, node 1 -> node 0]} payloads. */
    static byte[][] follow(Path tshark, Path file, int stream) throws Exception {
        Process p = new ProcessBuilder(tshark.toString(), "-r", file.toString(), "-q", "-z", "follow,tcp,raw," + stream)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark -r did not finish");
        ByteArrayOutputStream[] sides = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        boolean inBody = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("Node 1:")) {
                inBody = true;
                continue;
            }
            if (!inBody || line.startsWith("====") || line.isBlank()) {
                continue;
            }
            int side = line.startsWith("\t") ? 1 : 0;
            sides[side].writeBytes(HexFormat.of().parseHex(line.strip()));
        }
        return new byte[][] {sides[0].toByteArray(), sides[1].toByteArray()};
    }

    /** A running {@code tshark -i lo -f "tcp port P" -w file}. */
    static final class Capture implements AutoCloseable {
        private final Path tshark;
        private final Path file;
        private final Process process;
        private final Path log;
        private final int port;

        Capture(int port) throws Exception {
            this.tshark = Tools.require("tshark");
            this.file = Files.createTempFile("wirelab-tap-", ".pcapng");
            this.port = port;
            this.log = Files.createTempFile("wirelab-tshark-", ".log");
            // -P -l: also print each packet as it is written, so sync() can see when the file caught up;
            // -B 64: a 64 MiB kernel buffer, since the default 2 MiB overflowed under load during a 5 MB
            // upload and lost the 413 the client did read
            this.process = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", "tcp port " + port, "-P", "-l", "-B", "64",
                    "-w", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains("Capture started")) {
                assertTrue(process.isAlive(), "tshark ended: " + Files.readString(log, StandardCharsets.ISO_8859_1));
                assertTrue(System.nanoTime() < deadline, "tshark did not report \"Capture started\" within 20 s");
                Thread.sleep(20);
            }
        }

        /**
         * Makes sure every packet so far reached the file: libpcap hands packets over in blocks, so
         * a probe connection is opened and closed and its SYN awaited in tshark's packet lines.
         */
        void sync() throws Exception {
            int probePort;
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                probePort = probe.getLocalPort();
            }
            // under load tshark may still be printing thousands of earlier packets: 20 s without a new line fails
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long printed = -1;
            while (true) {
                String seen = Files.readString(log, StandardCharsets.UTF_8);
                if (seen.lines().anyMatch(l -> l.contains(" " + probePort + " ") && l.contains("[SYN]"))) {
                    return;
                }
                if (seen.length() > printed) {
                    printed = seen.length();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                }
                assertTrue(System.nanoTime() < deadline, "tshark printed nothing for 20 s and not the probe SYN: " + seen);
                Thread.sleep(20);
            }
        }

        /** Stops the capture and returns {@code [client->server, server->client]} payloads of TCP stream 0. */
        byte[][] follow() throws Exception {
            sync();
            stop();
            return Wire.follow(tshark, file, 0);
        }

        /** The {@code Node 0: ip:port} line of the follow output: the side that sent the SYN. */
        String node0() throws Exception {
            Process p = new ProcessBuilder(tshark.toString(), "-r", file.toString(), "-q", "-z", "follow,tcp,raw,0")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            p.waitFor(30, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                if (line.startsWith("Node 0:")) {
                    return line.substring("Node 0:".length()).strip();
                }
            }
            return "";
        }

        /** {@code tshark -r file -T fields -e ...} for every packet, one tab-separated line each (after {@link #follow()}). */
        List<String> fields(String... names) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-r", file.toString(), "-T", "fields"));
            for (String n : names) {
                cmd.add("-e");
                cmd.add(n);
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark -T fields did not finish");
            return out.lines().toList();
        }

        /** Number of TCP streams in the file. */
        List<String> conversations() throws Exception {
            Process p = new ProcessBuilder(tshark.toString(), "-r", file.toString(), "-q", "-z", "conv,tcp")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            p.waitFor(30, TimeUnit.SECONDS);
            List<String> rows = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.contains("<->")) {
                    rows.add(line.strip());
                }
            }
            return rows;
        }

        private void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            Files.deleteIfExists(file);
            Files.deleteIfExists(log);
        }
    }

    static InputStream in(Socket s) throws IOException {
        return s.getInputStream();
    }
}

package org.wirelab.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.display.MimeBundle;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.tap.Direction;

class CaptureTest {

    @TempDir
    Path dir;

    static void requireLiveCapture() {
        Capture.Availability availability = Capture.available();
        Assumptions.assumeTrue(availability.yes(), availability.toString());
    }

    @Test
    void filterNamesTcpAndUdpForEveryPort() {
        assertEquals("tcp port 8080 or udp port 8080 or tcp port 8081 or udp port 8081", Capture.filter(8080, 8081));
    }

    @Test
    void availabilityIsOneLineSayingYesOrWhyNot() {
        String line = Capture.available().toString();
        assertTrue(line.startsWith("yes: ") || line.startsWith("no: "), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void liveCaptureHoldsTheHandshakeAndTheBytesSent() throws Exception {
        requireLiveCapture();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Path pcap;
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            port = server.getLocalPort();
            Capture capture = Capture.start(port);
            assertTrue(capture.running());
            assertTrue(capture.toString().startsWith("capturing: "), "showing a running capture does not stop it");
            assertTrue(capture.running());
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(loopback, port), 5000);
                try (Socket accepted = server.accept()) {
                    client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    accepted.setSoTimeout(5000);
                    assertArrayEquals("hello\n".getBytes(StandardCharsets.US_ASCII),
                            accepted.getInputStream().readNBytes(6));
                    accepted.getOutputStream().write("world\n".getBytes(StandardCharsets.US_ASCII));
                    client.setSoTimeout(5000);
                    client.getInputStream().readNBytes(6);
                }
            }
            pcap = capture.stop();
            assertFalse(capture.running(), "the capturer exited");
        }
        Tshark.assertSequenceClean(pcap, List.of("checksum"));
        byte[][] streams = Tshark.follow(pcap, 0);
        assertEquals("hello\n", new String(streams[0], StandardCharsets.US_ASCII));
        assertEquals("world\n", new String(streams[1], StandardCharsets.US_ASCII));
        String first = Tshark.run(pcap, "-Y", "frame.number == 1", "-T", "fields", "-e", "tcp.flags.syn",
                "-e", "tcp.flags.ack", "-e", "tcp.dstport").strip();
        assertEquals("1\t0\t" + port, first);
        Files.deleteIfExists(pcap);
    }

    @Test
    void closeStopsTheCapturerProcess() {
        requireLiveCapture();
        int before = Lifecycle.openCount();
        Capture capture = Capture.start(9);
        assertEquals(before + 1, Lifecycle.openCount());
        capture.close();
        assertFalse(capture.running());
        assertEquals(before, Lifecycle.openCount());
        assertTrue(Files.exists(capture.path()), "the pcap file stays");
    }

    @Test
    void recordedHandshakeIsACleanCaptureOfAClosedConnection() {
        Capture capture = Capture.recorded("tcp-handshake");
        Path file = capture.path();
        // Loopback skips checksum computation (CHECKSUM_PARTIAL), so captured TCP checksums are not final.
        Tshark.assertSequenceClean(file, List.of("checksum"));
        String flags = Tshark.run(file, "-T", "fields", "-e", "tcp.flags.str");
        List<String> lines = flags.lines().toList();
        assertTrue(lines.get(0).contains("S") && !lines.get(0).contains("A"), "first a SYN: " + flags);
        assertEquals(2, lines.stream().filter(l -> l.contains("F")).count(), "two FINs: " + flags);
        assertEquals("ping\n", new String(Tshark.follow(file, 0)[0], StandardCharsets.US_ASCII));
        assertEquals("pong\n", new String(Tshark.follow(file, 0)[1], StandardCharsets.US_ASCII));
        assertTrue(capture.bytes().length < 20_000);
        assertTrue(capture.mimeBundle().get(MimeBundle.TEXT).toString().contains("[SYN]"));
    }

    @Test
    void unknownRecordingIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Capture.recorded("nope"));
        assertTrue(e.getMessage().contains("no recorded capture 'nope'"), e.getMessage());
    }

    @Test
    void listingMatchesTsharkForIpv4AndIpv6() throws Exception {
        Path file = dir.resolve("both.pcap");
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            pcap.tcp(new InetSocketAddress("127.0.0.1", 40001), new InetSocketAddress("127.0.0.1", 80), t)
                    .send(Direction.CLIENT_TO_SERVER, "abc".getBytes(StandardCharsets.US_ASCII), t.plusMillis(1));
            pcap.tcp(new InetSocketAddress("::1", 40002), new InetSocketAddress("::1", 443), t.plusMillis(2))
                    .reset(Direction.SERVER_TO_CLIENT, t.plusMillis(3));
        }
        List<String> ours = PcapListing.lines(Files.readAllBytes(file));
        List<String> theirs = new ArrayList<>();
        for (String row : Tshark.run(file, "-T", "fields", "-E", "separator=|", "-e", "frame.number",
                "-e", "frame.time_relative", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "ip.dst",
                "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.seq_raw", "-e", "tcp.len").lines().toList()) {
            String[] f = row.split("\\|", -1);
            String src = f[2].isEmpty() ? "[" + f[3] + "]" : f[2];
            String dst = f[5].isEmpty() ? "[" + f[6] + "]" : f[5];
            theirs.add(f[0] + "  " + f[1].substring(0, f[1].indexOf('.') + 7) + "  " + src + ":" + f[4] + " → "
                    + dst + ":" + f[7] + " seq_raw=" + f[8] + " len=" + f[9]);
        }
        List<String> reduced = ours.stream()
                .map(l -> l.replaceAll("  \\[[A-Z, ]+\\]", "").replaceAll(" ack_raw=\\d+", "").replaceAll(" win=\\d+", ""))
                .toList();
        assertEquals(theirs, reduced);
        assertTrue(ours.get(ours.size() - 1).contains("[RST, ACK]"), ours.get(ours.size() - 1));
    }
}

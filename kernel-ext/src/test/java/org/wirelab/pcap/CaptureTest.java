package org.wirelab.pcap;

import org.wirelab.testing.Tools;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.display.MimeBundle;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.wire.Direction;

class CaptureTest {

    @TempDir
    Path dir;

    static void requireLiveCapture() {
        Capture.Availability availability = Capture.available();
        if (!availability.yes()) {
            Tools.missing("live capture: " + availability);
        }
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
    void recordedFastOpenCarriesTheRequestOnTheSecondSyn() {
        Capture capture = Capture.recorded("tcp-fast-open");
        Tshark.assertFastOpen(capture.path());
        assertTrue(capture.bytes().length < 10_000, capture.bytes().length + " bytes");
    }

    @Test
    void fastOpenCheckFailsWithoutDataOnASyn() throws Exception {
        assertThrows(AssertionError.class, () -> Tshark.assertFastOpen(Capture.recorded("tcp-handshake").path()));
        // the same recording cut after the first connection: cookie handed out, never used
        byte[] all = Capture.recorded("tcp-fast-open").bytes();
        assertEquals((byte) 0xd4, all[0], "a little-endian pcap (magic d4 c3 b2 a1)");
        int firstConnectionEnd = 24;
        for (String line : Capture.recorded("tcp-fast-open").summaries()) {
            if (line.contains("[SYN]") && !line.startsWith("1 ")) {
                break;
            }
            int caplen = ByteBuffer.wrap(all, firstConnectionEnd + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            firstConnectionEnd += 16 + caplen;
        }
        Path cut = dir.resolve("first-connection.pcap");
        Files.write(cut, Arrays.copyOf(all, firstConnectionEnd));
        assertEquals(1, Tshark.run(cut, "-Y", "tcp.options.tfo.cookie", "-T", "fields", "-e", "frame.number")
                .lines().count(), "the cut file still holds the SYN-ACK with the cookie");
        assertThrows(AssertionError.class, () -> Tshark.assertFastOpen(cut));
    }

    @Test
    void synsWithDataListsTheFastOpenSynAsTsharkDoes() {
        Capture capture = Capture.recorded("tcp-fast-open");
        String theirs = Tshark.run(capture.path(), "-Y", "tcp.flags.syn == 1 && tcp.len > 0", "-T", "fields",
                "-E", "separator=|", "-e", "frame.number", "-e", "tcp.len", "-e", "tcp.payload").strip();
        String[] f = theirs.split("\\|");
        assertEquals(1, theirs.lines().count(), theirs);
        String request = new String(HexFormat.of().parseHex(f[2]), StandardCharsets.US_ASCII);
        assertTrue(request.startsWith("GET /2 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"), request);

        List<String> ours = capture.synsWithData();
        assertEquals(1, ours.size(), ours.toString());
        String line = ours.get(0);
        assertTrue(line.startsWith(f[0] + "  "), line);
        assertTrue(line.contains("[SYN] ") && line.contains(" len=" + f[1] + " TFO=C  "), line);
        assertTrue(line.endsWith("  \"GET /2 HTTP/1.1\\r\\nHost: 127.0.0.1\"…"), line);
    }

    @Test
    void synsWithDataIsEmptyForAPlainHandshake() {
        assertEquals(List.of(), Capture.recorded("tcp-handshake").synsWithData());
    }

    @Test
    void listingMarksFastOpenOptionsWhereTsharkFindsThem() {
        Capture capture = Capture.recorded("tcp-fast-open");
        List<String> requests = new ArrayList<>();
        List<String> cookies = new ArrayList<>();
        for (String line : capture.summaries()) {
            String number = line.substring(0, line.indexOf(' '));
            if (line.endsWith(" TFO=R")) {
                requests.add(number);
            }
            if (line.endsWith(" TFO=C")) {
                cookies.add(number);
            }
        }
        assertEquals(Tshark.run(capture.path(), "-Y", "tcp.options.tfo.request", "-T", "fields", "-e", "frame.number")
                .lines().toList(), requests);
        assertEquals(Tshark.run(capture.path(), "-Y", "tcp.options.tfo.cookie", "-T", "fields", "-e", "frame.number")
                .lines().toList(), cookies);
        assertEquals(1, requests.size());
        assertEquals(2, cookies.size(), "the SYN-ACK that brings the cookie and the SYN that returns it: " + cookies);
    }

    @Test
    void previewEscapesControlBytesAndMarksWhatIsLeftOut() {
        assertEquals("\"a\\x00\\\"\\r\\n\"", Capture.preview(new byte[] {'a', 0, '"', '\r', '\n'}));
        byte[] long33 = "0123456789abcdef0123456789abcdefX".getBytes(StandardCharsets.US_ASCII);
        assertEquals("\"0123456789abcdef0123456789abcdef\"…", Capture.preview(long33));
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
                .map(l -> l.replaceAll("  \\[[A-Z, ]+\\]", "").replaceAll(" ack_raw=\\d+", "").replaceAll(" win=\\d+( \\([^)]*\\))?", ""))
                .toList();
        assertEquals(theirs, reduced);
        assertTrue(ours.get(ours.size() - 1).contains("[RST, ACK]"), ours.get(ours.size() - 1));
    }

    @Test
    void listingShowsTheScaledWindowOnceBothSynsCarriedAScale() throws Exception {
        byte[] file = Capture.class.getResourceAsStream("/org/wirelab/pcap/recorded/tcp-handshake.pcap").readAllBytes();
        List<String> lines = PcapListing.lines(file);
        // both SYNs announce shift 10 (RFC 7323 §2.2); a SYN's own window is not scaled
        assertTrue(lines.get(0).endsWith("[SYN] seq_raw=3964182400 win=65495 len=0"), lines.get(0));
        assertEquals("3  0.000025  127.0.0.1:57564 → 127.0.0.1:42949  [ACK] seq_raw=3964182401 ack_raw=2167803996 "
                + "win=65536 (64×1024) len=0", lines.get(2));
    }

    @Test
    void scaledWindowsMatchTsharksWindowSize() throws Exception {
        byte[] file = Capture.class.getResourceAsStream("/org/wirelab/pcap/recorded/tcp-handshake.pcap").readAllBytes();
        Path copy = dir.resolve("handshake.pcap");
        Files.write(copy, file);
        List<String> ours = PcapListing.lines(file).stream()
                .map(l -> l.replaceAll(".* win=(\\d+).*", "$1")).toList();
        List<String> theirs = Tshark.run(copy, "-T", "fields", "-e", "tcp.window_size").lines().toList();
        assertEquals(theirs, ours);
    }
}

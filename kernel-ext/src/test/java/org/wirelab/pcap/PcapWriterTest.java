package org.wirelab.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.wire.Direction;

class PcapWriterTest {

    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 51234);
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 8080);
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000001Z");
    static final byte[] REQUEST = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    static Instant at(int millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void httpExchangeFollowsBackByteForByte() {
        Path file = dir.resolve("http.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TcpFlow flow = pcap.tcp(CLIENT, SERVER, at(0));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            flow.send(Direction.SERVER_TO_CLIENT, RESPONSE, at(2));
            flow.fin(Direction.CLIENT_TO_SERVER, at(3));
            flow.fin(Direction.SERVER_TO_CLIENT, at(4));
        }
        Tshark.assertClean(file);
        byte[][] streams = Tshark.follow(file, 0);
        assertArrayEquals(REQUEST, streams[0]);
        assertArrayEquals(RESPONSE, streams[1]);
        assertEquals(List.of("GET\t/hello\t", "\t\t200"), Tshark.run(file, "-Y", "http", "-T", "fields",
                "-e", "http.request.method", "-e", "http.request.uri", "-e", "http.response.code").lines().toList());
    }

    @Test
    void threeMegabyteTransferIsCutAtTheMss() {
        byte[] payload = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        byte[] head = ("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: "
                + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, body, head.length, payload.length);
        Path file = dir.resolve("bulk.pcap");
        try (PcapWriter pcap = PcapWriter.create(file).seed(1)) {
            TcpFlow flow = pcap.tcp(CLIENT, SERVER, at(0));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            flow.send(Direction.SERVER_TO_CLIENT, body, at(2));
            flow.fin(Direction.SERVER_TO_CLIENT, at(3));
            flow.fin(Direction.CLIENT_TO_SERVER, at(4));
        }
        Tshark.assertClean(file);
        byte[][] streams = Tshark.follow(file, 0);
        assertArrayEquals(REQUEST, streams[0]);
        assertArrayEquals(body, streams[1]);
        List<String> lengths = Tshark.run(file, "-Y", "tcp.len > 0 && tcp.srcport == 8080", "-T", "fields",
                "-e", "tcp.len").lines().toList();
        int segments = (body.length + 1459) / 1460;
        assertEquals(segments, lengths.size());
        assertTrue(lengths.subList(0, segments - 1).stream().allMatch("1460"::equals), "full segments of 1460");
        assertEquals(String.valueOf(body.length - (segments - 1) * 1460), lengths.get(segments - 1));
        assertEquals("1", Tshark.run(file, "-Y", "tcp.flags.push == 1 && tcp.srcport == 8080", "-T", "fields",
                "-e", "frame.number").lines().count() + "", "one PSH, on the last segment");
    }

    @Test
    void halfCloseLetsTheServerKeepSending() {
        Path file = dir.resolve("half.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TcpFlow flow = pcap.tcp(CLIENT, SERVER, at(0));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            flow.fin(Direction.CLIENT_TO_SERVER, at(2));
            flow.send(Direction.SERVER_TO_CLIENT, RESPONSE, at(3));
            flow.send(Direction.SERVER_TO_CLIENT, RESPONSE, at(4));
            flow.fin(Direction.SERVER_TO_CLIENT, at(5));
            assertThrows(IllegalStateException.class, () -> flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(6)));
        }
        Tshark.assertClean(file);
        byte[][] streams = Tshark.follow(file, 0);
        assertArrayEquals(REQUEST, streams[0]);
        byte[] twice = Arrays.copyOf(RESPONSE, RESPONSE.length * 2);
        System.arraycopy(RESPONSE, 0, twice, RESPONSE.length, RESPONSE.length);
        assertArrayEquals(twice, streams[1]);
        // FIN uses one sequence number: the ACK of the client's FIN acknowledges seq + 1.
        String fins = Tshark.run(file, "-Y", "tcp.flags.fin == 1", "-T", "fields", "-e", "tcp.seq_raw",
                "-e", "frame.number");
        String firstFin = fins.lines().findFirst().orElseThrow();
        long finSeq = Long.parseLong(firstFin.split("\t")[0]);
        int finFrame = Integer.parseInt(firstFin.split("\t")[1]);
        String ackOfFin = Tshark.run(file, "-Y", "frame.number == " + (finFrame + 1), "-T", "fields",
                "-e", "tcp.ack_raw").strip();
        assertEquals(finSeq + 1, Long.parseLong(ackOfFin));
    }

    @Test
    void resetEndsTheConnection() {
        Path file = dir.resolve("reset.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TcpFlow flow = pcap.tcp(CLIENT, SERVER, at(0));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            flow.reset(Direction.SERVER_TO_CLIENT, at(2));
            assertThrows(IllegalStateException.class, () -> flow.send(Direction.SERVER_TO_CLIENT, RESPONSE, at(3)));
        }
        Tshark.assertClean(file);
        assertArrayEquals(REQUEST, Tshark.follow(file, 0)[0]);
        assertEquals("8080\t1\t1\n", Tshark.run(file, "-Y", "tcp.flags.reset == 1", "-T", "fields",
                "-e", "tcp.srcport", "-e", "tcp.flags.reset", "-e", "tcp.flags.ack"));
    }

    @Test
    void twoInterleavedFlowsStayApart() {
        InetSocketAddress client2 = new InetSocketAddress("127.0.0.1", 51235);
        byte[] other = "PING".getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("two.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TcpFlow a = pcap.tcp(CLIENT, SERVER, at(0));
            TcpFlow b = pcap.tcp(client2, SERVER, at(1));
            a.send(Direction.CLIENT_TO_SERVER, REQUEST, at(2));
            b.send(Direction.CLIENT_TO_SERVER, other, at(3));
            a.send(Direction.SERVER_TO_CLIENT, RESPONSE, at(4));
            b.send(Direction.SERVER_TO_CLIENT, other, at(5));
            b.fin(Direction.CLIENT_TO_SERVER, at(6));
            a.fin(Direction.CLIENT_TO_SERVER, at(7));
            b.fin(Direction.SERVER_TO_CLIENT, at(8));
            a.fin(Direction.SERVER_TO_CLIENT, at(9));
        }
        Tshark.assertClean(file);
        byte[][] first = Tshark.follow(file, 0);
        byte[][] second = Tshark.follow(file, 1);
        assertArrayEquals(REQUEST, first[0]);
        assertArrayEquals(RESPONSE, first[1]);
        assertArrayEquals(other, second[0]);
        assertArrayEquals(other, second[1]);
    }

    @Test
    void ipv6FlowIsCleanAndUsesMss1440() {
        InetSocketAddress client = new InetSocketAddress("::1", 40000);
        InetSocketAddress server = new InetSocketAddress("::1", 8443);
        byte[] body = new byte[5000];
        new Random(3).nextBytes(body);
        Path file = dir.resolve("v6.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TcpFlow flow = pcap.tcp(client, server, at(0));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            flow.send(Direction.SERVER_TO_CLIENT, body, at(2));
            flow.fin(Direction.CLIENT_TO_SERVER, at(3));
            flow.fin(Direction.SERVER_TO_CLIENT, at(4));
        }
        Tshark.assertClean(file);
        byte[][] streams = Tshark.follow(file, 0);
        assertArrayEquals(REQUEST, streams[0]);
        assertArrayEquals(body, streams[1]);
        assertEquals("1440\t64\t::1\n", Tshark.run(file, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields",
                "-e", "tcp.options.mss_val", "-e", "ipv6.hlim", "-e", "ipv6.src"));
    }

    @Test
    void handshakeFollowsRfc9293Figure6() {
        Path file = dir.resolve("hs.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            pcap.tcp(CLIENT, SERVER, at(0));
        }
        List<String[]> rows = Tshark.run(file, "-T", "fields", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack",
                "-e", "tcp.seq_raw", "-e", "tcp.ack_raw").lines().map(l -> l.split("\t")).toList();
        assertEquals(3, rows.size());
        long x = Long.parseLong(rows.get(0)[2]);
        long y = Long.parseLong(rows.get(1)[2]);
        assertEquals(List.of("1", "0"), List.of(rows.get(0)[0], rows.get(0)[1]), "SYN");
        assertEquals(List.of("1", "1", (x + 1) & 0xffffffffL), List.of(rows.get(1)[0], rows.get(1)[1],
                Long.parseLong(rows.get(1)[3])), "SYN-ACK seq=y ack=x+1");
        assertEquals(List.of("0", "1", (x + 1) & 0xffffffffL, (y + 1) & 0xffffffffL), List.of(rows.get(2)[0],
                rows.get(2)[1], Long.parseLong(rows.get(2)[2]), Long.parseLong(rows.get(2)[3])), "ACK seq=x+1 ack=y+1");
        assertNotEquals(0L, x, "the ISN is random, not 0");
        assertNotEquals(0L, y, "the ISN is random, not 0");
        // Option kinds as Linux sends them: MSS (2), NOP, NOP, SACK permitted (4), NOP, window scale (3).
        assertEquals("2,1,1,4,1,3\t1460\t7\t64\t1\n", Tshark.run(file, "-Y", "frame.number == 1", "-T", "fields",
                "-e", "tcp.option_kind", "-e", "tcp.options.mss_val", "-e", "tcp.options.wscale.shift",
                "-e", "ip.ttl", "-e", "ip.flags.df"));
    }

    @Test
    void seedMakesInitialSequenceNumbersRepeatable() {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        for (var out : List.of(a, b)) {
            try (PcapWriter pcap = PcapWriter.create(out).seed(42)) {
                pcap.tcp(CLIENT, SERVER, at(0)).send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            }
        }
        try (PcapWriter pcap = PcapWriter.create(c).seed(43)) {
            pcap.tcp(CLIENT, SERVER, at(0)).send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
        }
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        assertNotEquals(Arrays.toString(a.toByteArray()), Arrays.toString(c.toByteArray()));
    }

    @Test
    void timeNeverGoesBackwardsInTheFile() throws Exception {
        Path file = dir.resolve("clamp.pcap");
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TcpFlow flow = pcap.tcp(CLIENT, SERVER, at(10));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(5));
            flow.send(Direction.SERVER_TO_CLIENT, RESPONSE, at(20));
        }
        List<Long> micros = Tshark.run(file, "-T", "fields", "-e", "frame.time_epoch").lines()
                .map(s -> Math.round(Double.parseDouble(s) * 1e6) - T0.getEpochSecond() * 1_000_000L).toList();
        assertEquals(List.of(10_001L, 10_001L, 10_001L, 10_001L, 10_001L, 20_001L, 20_001L), micros);
        byte[] header = Arrays.copyOf(Files.readAllBytes(file), 24);
        assertEquals("d4c3b2a102000400000000000000000000000400" + "01000000",
                java.util.HexFormat.of().formatHex(header));
    }

    @Test
    void theCleanCheckCatchesABadChecksumAndAMissingSegment() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter pcap = PcapWriter.create(out)) {
            TcpFlow flow = pcap.tcp(CLIENT, SERVER, at(0));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(1));
            flow.send(Direction.CLIENT_TO_SERVER, REQUEST, at(2));
        }
        byte[] good = out.toByteArray();
        Path flipped = dir.resolve("flipped.pcap");
        byte[] bad = good.clone();
        bad[bad.length - 60] ^= 0x20;
        Files.write(flipped, bad);
        AssertionError checksum = assertThrows(AssertionError.class, () -> Tshark.assertClean(flipped));
        assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());

        // Drop record 4, the first data segment: the second one follows a gap.
        List<byte[]> records = new java.util.ArrayList<>();
        int at = 24;
        while (at < good.length) {
            int caplen = java.nio.ByteBuffer.wrap(good, at + 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            records.add(Arrays.copyOfRange(good, at, at + 16 + caplen));
            at += 16 + caplen;
        }
        ByteArrayOutputStream gap = new ByteArrayOutputStream();
        gap.write(good, 0, 24);
        for (int i = 0; i < records.size(); i++) {
            if (i != 3) {
                gap.write(records.get(i));
            }
        }
        Path missing = dir.resolve("gap.pcap");
        Files.write(missing, gap.toByteArray());
        AssertionError lost = assertThrows(AssertionError.class, () -> Tshark.assertClean(missing));
        assertTrue(lost.getMessage().toLowerCase(java.util.Locale.ROOT).contains("not captured")
                || lost.getMessage().contains("unseen"), lost.getMessage());
    }

    @Test
    void mixedAddressFamiliesAreRefused() {
        try (PcapWriter pcap = PcapWriter.create(new ByteArrayOutputStream())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pcap.tcp(CLIENT, new InetSocketAddress("::1", 80), at(0)));
            assertTrue(e.getMessage().contains("must both be IPv4 or both IPv6"), e.getMessage());
        }
    }
}

package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DissectTest {

    @Test
    void emptyInputGivesAnEmptyDissectionOrATruncationProblem() {
        assertEquals(List.of(), Dissect.http(new byte[0]).fields());
        assertEquals(List.of(), Dissect.websocket(new byte[0]).problems());
        assertEquals(List.of(new Problem(0, 0, "truncated: a capture file starts with a 4-byte magic number")),
                Dissect.pcap(new byte[0]).problems());
    }

    @Test
    void unknownMagicIsNamedInTheProblem() {
        assertEquals("not a capture file: magic 47455420 is neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)",
                Dissect.pcap("GET / HTTP/1.1\r\n".getBytes()).problems().get(0).message());
    }

    @Test
    void unreadableFileIsAnErrorWithItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dissect.pcap(Path.of("/nonexistent/x.pcap")));
        assertEquals("cannot read capture file /nonexistent/x.pcap: /nonexistent/x.pcap", e.getMessage());
    }

    @Test
    void websocketClientBytesAfterAnUpgradeRequestAreFrames() {
        byte[] req = SyntheticPcap.REQUEST.getBytes();
        byte[] all = DissectPropertiesTest.concat(req, java.util.HexFormat.of().parseHex("818537fa213d7f9f4d5158"));
        Dissection d = Dissect.http(all);
        assertEquals("37:fa:21:3d", d.value("websocket.masking_key"));
        assertEquals(req.length + 2, d.field("websocket.masking_key").orElseThrow().offset());
    }

    @Test
    void upgradedSkipsTheHttpHeadAndReadsTheFramesAfterIt() {
        byte[] stream = java.util.HexFormat.of().parseHex(
                "474554202f777320485454502f312e310d0a0d0a" // GET /ws HTTP/1.1 CRLF CRLF
                + "8185" + "37fa213d7f9f4d5158" + "8a85" + "37fa213d7f9f4d5158");
        WebSocketDissection frames = Dissect.upgraded(stream);
        assertEquals(List.of(), frames.problems());
        assertEquals(2, frames.fields().size());
        assertEquals("Hello", frames.value("websocket.payload.text"));
        assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58", frames.frame(1).hex());
        assertEquals("8a 85 37 fa 21 3d 7f 9f 4d 51 58", frames.frame(2).hex());
        assertEquals("10", frames.frame(2).value("websocket.opcode"));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> frames.frame(3));
        assertEquals("frame 3 asked for, but these bytes hold 2 frames, numbered from 1", e.getMessage());
    }

    @Test
    void upgradedWithoutABlankLineIsAProblemNotAnException() {
        WebSocketDissection frames = Dissect.upgraded("GET /ws HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(List.of(), frames.fields());
        assertEquals("no end of the HTTP head (CRLF CRLF) in 18 bytes: not an upgraded stream",
                frames.problems().get(0).message());
    }

    @Test
    void iteratingACaptureFileReadsTheSamePacketsOneAtATime(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path file = dir.resolve("two.pcap");
        java.time.Instant t = java.time.Instant.parse("2026-11-30T10:00:00Z");
        try (org.wirelab.pcap.PcapWriter pcap = org.wirelab.pcap.PcapWriter.create(file).seed(3)) {
            pcap.tcp(new java.net.InetSocketAddress("127.0.0.1", 40000), new java.net.InetSocketAddress("127.0.0.1", 80), t)
                    .send(org.wirelab.wire.Direction.CLIENT_TO_SERVER, "GET / HTTP/1.1\r\n\r\n".getBytes(), t);
        }
        PacketCapture capture = Dissect.pcap(file);
        List<String> iterated = new java.util.ArrayList<>();
        for (Dissection p : capture) {
            iterated.add(p.toString());
        }
        assertEquals(capture.packets().stream().map(Dissection::toString).toList(), iterated);
        assertEquals(5, iterated.size());
        List<String> scanned = new java.util.ArrayList<>();
        List<Problem> problems = capture.scan(p -> scanned.add(p.frame() + " " + p.summary()), s -> scanned.add(s.toString()));
        assertEquals(List.of(), problems);
        assertEquals("4 127.0.0.1:40000 -> 127.0.0.1:80 [PSH, ACK] seq=1 ack=1 len=18", scanned.get(3));
        assertEquals("tcp.stream 0: 127.0.0.1:40000 -> 127.0.0.1:80, 18 bytes in 1 segment", scanned.get(5));
    }

    @Test
    void captureTimesAreLookedUpByFrameNumberAndASimplePacketBlockHasNone() {
        // SHB, IDB (Ethernet), an Enhanced Packet Block at 1 µs, a Simple Packet Block (no time stamp)
        PacketCapture capture = Dissect.pcap(java.util.HexFormat.of().parseHex(("0a0d0d0a 0000001c 1a2b3c4d 00010000"
                + " ffffffffffffffff 0000001c 00000001 00000014 0001 0000 00040000 00000014"
                + " 00000006 00000024 00000000 00000000 00000001 00000001 00000001 ab000000 00000024"
                + " 00000003 00000014 00000001 ef000000 00000014").replace(" ", "")));
        assertEquals(java.util.Optional.of(java.time.Instant.ofEpochSecond(0, 1000)), capture.time(1));
        assertEquals(java.util.Optional.empty(), capture.time(2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> capture.time(3));
        assertEquals("frame 3 asked for, but this capture holds 2 frames, numbered from 1", e.getMessage());
        List<String> scanned = new java.util.ArrayList<>();
        capture.scan(p -> scanned.add(p.frame() + " " + p.time()), s -> { });
        assertEquals(List.of("1 Optional[1970-01-01T00:00:00.000001Z]", "2 Optional.empty"), scanned);
    }
}

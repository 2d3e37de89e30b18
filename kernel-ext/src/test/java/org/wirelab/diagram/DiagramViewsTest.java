package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.PacketCapture;
import org.wirelab.pcap.PcapWriter;

class DiagramViewsTest {

    @Test
    void aCapturesDiagramIsTheSequenceDiagramDrawnHere() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        try (PcapWriter pcap = PcapWriter.create(file).seed(7)) {
            pcap.tcp(new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 8080), t);
        }
        PacketCapture capture = Dissect.pcap(file.toByteArray());
        String drawn = SequenceDiagram.of(capture).toString();
        assertEquals(drawn, capture.diagram().toString());
        assertTrue(drawn.contains("SYN, ACK seq_raw="), drawn);
    }
}

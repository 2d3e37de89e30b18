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
}

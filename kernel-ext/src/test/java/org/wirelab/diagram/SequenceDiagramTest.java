package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class SequenceDiagramTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** RFC 9293 figure 6: the three-way handshake with x = 100, y = 300. */
    private static SequenceDiagram handshake() {
        return SequenceDiagram.newBuilder().participant("client").participant("server")
                .message("client", "server", "SYN seq=100", T0)
                .message("server", "client", "SYN-ACK seq=300 ack=101", T0.plusNanos(120_000))
                .message("client", "server", "ACK seq=101 ack=301", T0.plusNanos(250_000))
                .note("connection established")
                .build();
    }

    @Test
    void mermaidSourceListsParticipantsAndMessagesWithTimes() {
        assertEquals("""
                sequenceDiagram
                    participant p0 as client
                    participant p1 as server
                    p0->>p1: SYN seq=100 +0.000 ms
                    p1->>p0: SYN-ACK seq=300 ack=101 +0.120 ms
                    p0->>p1: ACK seq=101 ack=301 +0.250 ms
                    Note over p0,p1: connection established
                """, handshake().mermaid());
    }

    @Test
    void mermaidSpecialCharactersBecomeEntityCodes() {
        SequenceDiagram d = SequenceDiagram.newBuilder()
                .message("a;b", "c#d", "x --> y; z # %% <script>alert(1)</script>", T0).build();
        String src = d.mermaid();
        assertTrue(src.contains("participant p0 as a#59;b\n"), src);
        assertTrue(src.contains("participant p1 as c#35;d\n"), src);
        assertTrue(src.contains("p0->>p1: x --#62; y#59; z #35; #37;#37; #60;script#62;alert(1)#60;/script#62; +0.000 ms\n"), src);
        String body = src.substring(src.indexOf("p0->>p1: ") + 9);
        assertFalse(body.contains("-->") || body.contains("<") || body.contains(";\n") || body.contains(" # "), body);
    }

    @Test
    void connectionIdsFollowTheLabel() {
        String src = SequenceDiagram.newBuilder()
                .message("client", "server", "GET / HTTP/1.1 (78 bytes)", T0, "49152→8080").build().mermaid();
        assertTrue(src.contains("p0->>p1: GET / HTTP/1.1 (78 bytes) [49152→8080] +0.000 ms\n"), src);
    }

    @Test
    void bundleHasMermaidSvgAndTextButNoHtml() {
        Map<String, Object> b = handshake().mimeBundle();
        assertEquals(List.of(MimeBundle.TEXT, MimeBundle.MERMAID, MimeBundle.SVG), List.copyOf(b.keySet()));
    }

    @Test
    void asciiDrawingShowsArrowsBothWays() {
        String expected = String.join("\n",
                " ".repeat(10) + "client" + " ".repeat(25) + "server",
                " ".repeat(13) + "|" + " ".repeat(30) + "|",
                "   +0.000 ms |-- SYN seq=100 " + "-".repeat(14) + ">|",
                "   +0.120 ms |<- SYN-ACK seq=300 ack=101 ---|",
                "   +0.250 ms |-- ACK seq=101 ack=301 ------>|",
                " ".repeat(13) + "| [ connection established ]   |", "");
        assertEquals(expected, handshake().toString());
    }

    @Test
    void svgHasLifelinesArrowsLabelsAndTimes() {
        String svg = (String) handshake().mimeBundle().get(MimeBundle.SVG);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains("stroke-dasharray=\"4 3\""), "dashed lifelines");
        assertTrue(svg.contains(">SYN-ACK seq=300 ack=101</text>"), svg);
        assertTrue(svg.contains(">+0.120 ms</text>"), svg);
        assertTrue(svg.contains("<title>server → client: SYN-ACK seq=300 ack=101 at +0.120 ms</title>"), svg);
        assertTrue(svg.endsWith("</svg>"));
    }

    @Test
    void hostileLabelsAreEscapedInSvg() {
        String svg = (String) SequenceDiagram.newBuilder()
                .message("<b>", "x", "<script>alert(1)</script>", T0).build().mimeBundle().get(MimeBundle.SVG);
        assertFalse(svg.contains("<script") || svg.contains("<b>"), svg);
        assertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), svg);
    }

    @Test
    void longConversationsAreCutAndCounted() {
        SequenceDiagram.Builder b = SequenceDiagram.newBuilder();
        for (int i = 0; i < 2_000; i++) {
            b.message(i % 2 == 0 ? "client" : "server", i % 2 == 0 ? "server" : "client",
                    "→".repeat(200) + i, T0.plusMillis(i));
        }
        Map<String, Object> bundle = b.build().mimeBundle();
        for (Object o : bundle.values()) {
            assertTrue(o.toString().getBytes(StandardCharsets.UTF_8).length <= 200_000);
        }
        assertTrue(bundle.get(MimeBundle.MERMAID).toString().matches("(?s).*Note over p0: \\d+ more messages not drawn\n"));
    }

    @Test
    void emptyDiagramStillDrawsItsLifelines() {
        Map<String, Object> b = SequenceDiagram.newBuilder().participant("client").participant("server").build().mimeBundle();
        assertEquals("sequenceDiagram\n    participant p0 as client\n    participant p1 as server\n", b.get(MimeBundle.MERMAID));
        assertTrue(b.get(MimeBundle.TEXT).toString().startsWith(" ".repeat(10) + "client"));
        assertTrue(b.get(MimeBundle.SVG).toString().contains(">server</text>"));
    }
}

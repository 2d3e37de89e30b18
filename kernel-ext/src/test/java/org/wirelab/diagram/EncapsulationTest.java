package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.pcap.PcapWriter;
import org.wirelab.wire.Direction;

class EncapsulationTest {

    private static Dissection request() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (PcapWriter pcap = PcapWriter.create(file).seed(7)) {
            pcap.tcp(new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 8080), Instant.EPOCH)
                    .send(Direction.CLIENT_TO_SERVER, "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Instant.EPOCH);
        }
        // frames 1-3 are the handshake, frame 4 the request
        return Dissect.pcap(file.toByteArray()).packets().get(3);
    }

    @Test
    void anHttpRequestIsEthernetIpTcpThenHttpWithItsByteCounts() {
        assertEquals("""
                Encapsulation of this packet (81 bytes captured)
                application                                                       [HTTP 27 bytes: GET / HTTP/1.1]
                transport                                          [TCP header 20][HTTP 27 bytes                ]
                internet                           [IPv4 header 20][TCP segment, 47 bytes                       ]
                link        [Ethernet II header 14][IPv4 packet, 67 bytes                                       ]

                transport   TCP header                20 +    27 =    47 bytes
                internet    IPv4 header               20 +    47 =    67 bytes
                link        Ethernet II header        14 +    67 =    81 bytes: the frame""", Encapsulation.of(request()).toString());
    }

    @Test
    void aUdpDatagramThatReadsLikeHttpIsApplicationData() {
        // 01's UDP echo: "GET / HTTP/1.1\r\nHost: any\r\n\r\n" in one datagram; HTTP/1.x does not run over UDP
        byte[] payload = "GET / HTTP/1.1\r\nHost: any\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[42 + payload.length];
        System.arraycopy(payload, 0, frame, 42, payload.length);
        Dissection packet = new Dissection("frame", frame, List.of(Field.of("eth", 0, 14, "Ethernet II"),
                Field.of("ip", 14, 28 + payload.length, ""),
                new Field("udp", 34, 8 + payload.length, "", List.of(Field.of("udp.payload", 42, payload.length, "")))), List.of());
        String text = Encapsulation.of(packet).toString();
        assertTrue(text.contains("[application data 29 bytes: GET / HTTP/1.1]"), text);
        assertTrue(text.contains("transport   UDP header                 8 +    29 =    37 bytes"), text);
        assertFalse(text.contains("HTTP 29"), text);
    }

    @Test
    void htmlIsATableWithClassesAndNoStyleScriptOrSvg() {
        String html = (String) Encapsulation.of(request()).mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.startsWith("<div class=\"wl-encapsulation\""), html);
        assertTrue(html.contains("TCP header<br><b>20 bytes</b>"), html);
        assertTrue(html.contains("= 81 bytes (the frame)"), html);
        assertFalse(html.contains("<style") || html.contains("<script") || html.contains("<svg"), html);
        assertEquals(HexFormat.of().formatHex(request().bytes()).length() / 2, 81);
    }
}

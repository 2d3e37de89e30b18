package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireLabelsTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void oneChunkCarryingTwoPipelinedRequestsLabelsEach() {
        byte[] chunk = ascii("GET /delay/300 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals("GET /delay/300 HTTP/1.1 (44 bytes); GET /fast HTTP/1.1 (39 bytes)", WireLabels.messages(chunk));
    }

    @Test
    void oneChunkCarryingTwoResponsesLabelsEach() {
        byte[] chunk = ascii("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nslowHTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK (42 bytes); HTTP/1.1 404 Not Found (45 bytes)", WireLabels.messages(chunk));
    }

    @Test
    void aSingleMessageKeepsItsOneLabel() {
        assertEquals("GET / HTTP/1.1 (27 bytes)", WireLabels.messages(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
    }
}

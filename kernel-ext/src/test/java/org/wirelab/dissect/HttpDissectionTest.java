package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpDissectionTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Object> at(Dissection d, String name) {
        Field f = d.field(name).orElseThrow();
        return List.of(f.offset(), f.length(), f.value());
    }

    @Test
    void requestLinePartsAndHeaderLinesHaveExactOffsets() {
        Dissection d = Dissect.http(ascii("GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Foo: bar\r\n\r\n"));
        assertEquals(List.of(0, 3, "GET"), at(d, "http.request.method"));
        assertEquals(List.of(4, 6, "/a.txt"), at(d, "http.request.uri"));
        assertEquals(List.of(11, 8, "HTTP/1.1"), at(d, "http.request.version"));
        assertEquals(List.of(21, 22, "127.0.0.1:8080"), at(d, "http.host"));
        assertEquals(List.of(21, 22, "Host: 127.0.0.1:8080\\r\\n"), at(d, "http.request.line"));
        assertEquals(List.of(43, 5, "X-Foo"), d.allFields().stream().filter(f -> f.name().equals("http.header.name"))
                .skip(1).map(f -> (Object) f.offset()).findFirst().map(o -> List.of(o, 5, "X-Foo")).orElseThrow());
        assertEquals(List.of(55, 2, "\\r\\n"), at(d, "http.end_of_headers"));
        assertEquals(List.of(), d.uncoveredBytes());
        assertEquals(List.of(), d.problems());
    }

    @Test
    void chunkedWikipediaVectorDecodesToItsBody() {
        String body = "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        Dissection d = Dissect.http(ascii(head + body));
        assertEquals("Wikipedia in\r\n\r\nchunks.", d.value("http.chunked"));
        List<Field> sizes = d.allFields().stream().filter(f -> f.name().equals("http.chunk_size")).toList();
        assertEquals(List.of("4", "5", "14", "0"), sizes.stream().map(Field::value).toList());
        int b = head.length();
        assertEquals(List.of(b, b + 9, b + 19, b + 38), sizes.stream().map(Field::offset).toList());
        assertEquals(List.of(b + 3, 4, "57:69:6b:69"), at(d, "http.chunk_data"));
        assertEquals(List.of(b + 7, 2, "0d:0a"), at(d, "http.chunk_boundary"));
        assertEquals(List.of(b + 41, 2, "\\r\\n"), at(d, "http.chunked_end"));
        assertEquals(List.of(), d.uncoveredBytes());
        assertEquals(List.of(), d.problems());
    }

    @Test
    void contentLengthBodyAndPipelinedMessagesAreSeparateTopLevelFields() {
        Dissection d = Dissect.http(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 204 No Content\r\n\r\n"));
        assertEquals(2, d.fields().size());
        assertEquals(List.of(17, 19, "5"), at(d, "http.content_length_header"));
        assertEquals(List.of(17, 19, "5"), at(d, "http.content_length"));
        assertEquals(List.of(38, 5, "hello"), at(d, "http.file_data"));
        assertEquals("HTTP/1.1 204 No Content", d.fields().get(1).value());
        Field phrase = d.fields().get(1).children().get(0).children().stream()
                .filter(f -> f.name().equals("http.response.phrase")).findFirst().orElseThrow();
        assertEquals(List.of(43 + 13, 10, "No Content"), List.of(phrase.offset(), phrase.length(), phrase.value()));
        assertEquals(List.of(), d.uncoveredBytes());
    }

    @Test
    void switchingProtocolsHandsTheRestToWebSocket() {
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        byte[] frame = {(byte) 0x81, 0x05, 'H', 'e', 'l', 'l', 'o'};
        byte[] all = new byte[head.length() + frame.length];
        System.arraycopy(ascii(head), 0, all, 0, head.length());
        System.arraycopy(frame, 0, all, head.length(), frame.length);
        Dissection d = Dissect.http(all);
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", d.value("http.sec_websocket_accept"));
        assertEquals(List.of(head.length() + 2, 5, "Hello"), at(d, "websocket.payload.text"));
        assertEquals(List.of(), d.uncoveredBytes());
    }

    @Test
    void truncatedContentLengthBodyIsAProblemOverTheBytesThatArrived() {
        Dissection d = Dissect.http(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel"));
        assertEquals(List.of(new Problem(39, 3, "truncated: Content-Length 10 needs 7 more bytes")), d.problems());
        assertEquals(List.of(), d.uncoveredBytes());
    }

    @Test
    void garbageIsNotAnHttpRequestLine() {
        Dissection d = Dissect.http(ascii("\u0016\u0003\u0001 hello\r\n"));
        assertTrue(d.problems().get(0).message().startsWith("not an HTTP request line"), d.problems().toString());
        assertEquals(List.of(), d.uncoveredBytes());
    }
}

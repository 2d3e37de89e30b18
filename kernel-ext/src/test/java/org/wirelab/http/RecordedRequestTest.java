package org.wirelab.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.lifecycle.Lifecycle;

class RecordedRequestTest {

    private static final String WIRE = "POST /echo HTTP/1.1\r\nHost: a\r\nX-Tag: <b>\r\nContent-Length: 2\r\n\r\nhi";

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static RecordedRequest received() throws IOException {
        var server = HttpDemoServer.start();
        try (var raw = new RawHttp(server)) {
            raw.send(WIRE);
            raw.response();
        }
        return server.takeRequest();
    }

    @Test
    void toStringIsTheWireText() throws IOException {
        RecordedRequest request = received();
        assertEquals(WIRE, request.toString());
        assertArrayEquals(WIRE.getBytes(ISO_8859_1), request.bytes());
        assertEquals("50 4f 53 54 20", request.hex().substring(0, 14), "P O S T space");
    }

    @Test
    void headersKeepOrderAndLookUpIgnoringCase() throws IOException {
        RecordedRequest request = received();
        assertEquals(List.of(Map.entry("Host", "a"), Map.entry("X-Tag", "<b>"), Map.entry("Content-Length", "2")),
                request.headers());
        assertEquals(java.util.Optional.of("<b>"), request.header("x-tag"));
        assertEquals(java.util.Optional.empty(), request.header("Cookie"));
    }

    @Test
    void isImmutable() throws IOException {
        RecordedRequest request = received();
        request.body()[0] = 'X';
        assertEquals("hi", new String(request.body(), ISO_8859_1));
        assertThrows(UnsupportedOperationException.class, () -> request.headers().clear());
    }

    @Test
    void rendersEscapedInPre() throws IOException {
        Map<String, Object> bundle = received().mimeBundle();
        assertEquals(WIRE, bundle.get(MimeBundle.TEXT));
        assertEquals("<pre>" + WIRE.replace("<b>", "&lt;b&gt;") + "</pre>", bundle.get(MimeBundle.HTML));
    }
}

package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class AcceptKeyTest {

    @Test
    void rfc6455SampleNonceGivesTheRfcAcceptValue() {
        AcceptKey k = Dissect.handshake("dGhlIHNhbXBsZSBub25jZQ==");
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11", k.concatenated());
        assertEquals("b37a4f2cc0624f1690f64606cf385945b2bec4ea", k.sha1Hex());
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", k.accept());
    }

    @Test
    void rendersEveryStepAsTextAndHtml() {
        AcceptKey k = AcceptKey.of("dGhlIHNhbXBsZSBub25jZQ==");
        assertTrue(k.toString().contains("base64 = Sec-WebSocket-Accept  s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        String html = (String) k.mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains("<td><code>b37a4f2cc0624f1690f64606cf385945b2bec4ea</code></td>"));
    }
}

package org.wirelab.hex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.wire.Direction;

class StreamViewTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi".getBytes(StandardCharsets.US_ASCII);

    private static StreamView exchange() {
        return StreamView.newBuilder()
                .add(Direction.SERVER_TO_CLIENT, OK, T0.plusNanos(1_250_000))
                .add(Direction.CLIENT_TO_SERVER, GET, T0)
                .build();
    }

    @Test
    void plainTextShowsBothDirectionsInTimeOrderWithEscapes() {
        assertEquals("""
                >> client → server, 35 bytes at +0.000 ms
                GET / HTTP/1.1\\r\\n
                Host: 127.0.0.1\\r\\n
                \\r\\n
                << server → client, 40 bytes at +1.250 ms
                HTTP/1.1 200 OK\\r\\n
                content-length: 2\\r\\n
                \\r\\n
                hi
                """, exchange().toString());
    }

    @Test
    void clientIsRedAndServerBlueAsInFollowStream() {
        String html = (String) exchange().mimeBundle().get(MimeBundle.HTML);
        int get = html.indexOf("GET / HTTP/1.1");
        int ok = html.indexOf("HTTP/1.1 200 OK");
        assertTrue(get > 0 && ok > get, html);
        assertTrue(html.contains("<pre class=\"wl-c2s\" title=\"client → server, 35 bytes at +0.000 ms\" "
                + "style=\"margin:0;white-space:pre-wrap;background-color:rgba(230,50,50,0.22);border-left:4px solid #d03030\">GET / HTTP/1.1"
                + "<span class=\"wl-esc\" style=\"opacity:0.6\">\\r</span><span class=\"wl-esc\" style=\"opacity:0.6\">\\n</span>\n"), html);
        assertTrue(html.contains("<pre class=\"wl-s2c\""), html);
        assertTrue(html.contains("background-color:rgba(50,90,230,0.22)"), html);
    }

    @Test
    void binaryChunksAreShownAsHex() {
        StreamView v = StreamView.newBuilder()
                .add(Direction.SERVER_TO_CLIENT, Frames.hex("81 05 48 65 6c 6c 6f"), T0).build();
        assertEquals("<< server → client, 7 bytes at +0.000 ms\n"
                + "00000000: 8105 4865 6c6c 6f                        ..Hello\n", v.toString());
        assertTrue(((String) v.mimeBundle().get(MimeBundle.HTML)).contains(">00000000: 8105 4865 6c6c 6f"));
    }

    @Test
    void hostilePayloadsAreEscaped() {
        StreamView v = StreamView.newBuilder()
                .add(Direction.CLIENT_TO_SERVER, "<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII), T0).build();
        String html = (String) v.mimeBundle().get(MimeBundle.HTML);
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    }

    @Test
    void bytesBeyondTheLimitAreCutWithACount() {
        byte[] body = "a".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        StreamView v = StreamView.newBuilder().limit(100)
                .add(Direction.CLIENT_TO_SERVER, body, T0).build();
        assertTrue(v.toString().endsWith("a".repeat(100) + "\n... 900 more bytes\n"), v.toString());
        String html = (String) v.mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains("<details><summary>show all (900 more bytes)</summary>"), html);
    }

    @Test
    void noOutputExceeds45KB() {
        StreamView.Builder b = StreamView.newBuilder().limit(1 << 30);
        byte[] binary = new byte[100_000];
        for (int i = 0; i < 20; i++) {
            b.add(i % 2 == 0 ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT, binary, T0.plusMillis(i));
        }
        for (Object o : b.build().mimeBundle().values()) {
            assertTrue(o.toString().getBytes(StandardCharsets.UTF_8).length <= 45_000);
        }
        String html = (String) b.build().mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains(" more bytes not shown (output limit 45 KB)"), html.substring(html.length() - 200));
    }

    @Test
    void countsBytesPerDirection() {
        assertEquals(35, exchange().byteCount(Direction.CLIENT_TO_SERVER));
        assertEquals(40, exchange().byteCount(Direction.SERVER_TO_CLIENT));
    }

    @Test
    void textPiecesNeverSplitAUtf8Character() {
        byte[] body = ("a" + "é".repeat(3000)).getBytes(StandardCharsets.UTF_8); // byte 4096 is mid-character
        String html = (String) StreamView.newBuilder().add(Direction.SERVER_TO_CLIENT, body, T0).build()
                .mimeBundle().get(MimeBundle.HTML);
        assertFalse(html.contains("\uFFFD"), "a replacement character means a split sequence");
        assertEquals(3000, html.chars().filter(ch -> ch == 'é').count());
    }
}

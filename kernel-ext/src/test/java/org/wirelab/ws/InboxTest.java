package org.wirelab.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InboxTest {

    @Test
    void keepsEchoesFragmentsPingsAndTheCloseInArrivalOrder() throws Exception {
        try (var server = WebSocketDemoServer.start()) {
            Inbox inbox = Inbox.create();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(), inbox)
                    .get(5, TimeUnit.SECONDS);
            ws.sendText("Hello", true).get(5, TimeUnit.SECONDS);
            assertEquals("TEXT \"Hello\"", inbox.take().toString());
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
            Inbox.Item binary = inbox.take();
            assertEquals(Inbox.Kind.BINARY, binary.kind());
            assertEquals("BINARY 3 bytes 01 02 03", binary.toString());
            server.sendFragmented("Hello", 3);
            Inbox.Item first = inbox.take();
            assertEquals("Hel", first.text());
            assertFalse(first.last());
            assertEquals("TEXT \"Hel\" (part, more follows)", first.toString());
            assertEquals("lo", inbox.take().text());
            server.ping("Hello");
            assertEquals("PING \"Hello\"", inbox.take().toString());
            assertEquals("Hello", server.takePong().text());
            server.closeClients(1000, "bye");
            Inbox.Item close = inbox.take();
            assertEquals(1000, close.code());
            assertEquals("CLOSE 1000 \"bye\"", close.toString());
            assertEquals(List.of(Inbox.Kind.TEXT, Inbox.Kind.BINARY, Inbox.Kind.TEXT, Inbox.Kind.TEXT, Inbox.Kind.PING,
                    Inbox.Kind.CLOSE), inbox.received().stream().map(Inbox.Item::kind).toList());
            assertTrue(inbox.toString().startsWith("TEXT \"Hello\"\nBINARY 3 bytes"), inbox.toString());
        }
    }

    @Test
    void takeGivesUpWithAClearMessage() {
        Inbox inbox = Inbox.create();
        var e = assertThrows(IllegalStateException.class, () -> inbox.take(Duration.ofMillis(50)));
        assertEquals("the WebSocket client received nothing within 50 ms", e.getMessage());
        assertEquals("(nothing received)\n", inbox.toString());
    }

    @Test
    void takeMessageJoinsTheJdkPartsOfA64KibMessage() throws Exception {
        try (var server = WebSocketDemoServer.start()) {
            Inbox inbox = Inbox.create();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(), inbox)
                    .get(5, TimeUnit.SECONDS);
            byte[] big = new byte[65536];
            big[65535] = 7;
            ws.sendBinary(ByteBuffer.wrap(big), true).get(5, TimeUnit.SECONDS);
            Inbox.Item whole = inbox.takeMessage();
            assertEquals(65536, whole.bytes().length);
            assertEquals(7, whole.bytes()[65535]);
            assertTrue(whole.last());
            server.sendFragmented("Hello", 3);
            assertEquals("TEXT \"Hello\"", inbox.takeMessage().toString());
            server.ping("x");
            assertEquals("PING \"x\"", inbox.takeMessage().toString());
        }
    }
}

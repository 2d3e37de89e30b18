package org.wirelab.ws;

import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketMessage;
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
            assertEquals("TEXT (0x1) 5 bytes: Hello", inbox.take().toString());
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
            WebSocketMessage binary = inbox.take();
            assertEquals(Opcode.BINARY, binary.opcode());
            assertEquals("BINARY (0x2) 3 bytes: 01 02 03", binary.toString());
            server.sendFragmented("Hello", 3);
            WebSocketMessage first = inbox.take();
            assertEquals("Hel", first.text());
            assertFalse(first.last());
            assertEquals("TEXT (0x1) 3 bytes, a part, more follows: Hel", first.toString());
            assertEquals("lo", inbox.take().text());
            server.ping("Hello");
            assertEquals("PING (0x9) 5 bytes: Hello", inbox.take().toString());
            assertEquals("Hello", server.takePong().text());
            server.closeClients(1000, "bye");
            WebSocketMessage close = inbox.take();
            assertEquals(java.util.Optional.of(1000), close.closeCode());
            assertEquals("03 e8 62 79 65", close.hex(), "the close payload as on the wire: 1000, then \"bye\"");
            assertEquals("CLOSE (0x8) 5 bytes: 1000 \"bye\"", close.toString());
            assertEquals(List.of(Opcode.TEXT, Opcode.BINARY, Opcode.TEXT, Opcode.TEXT, Opcode.PING,
                    Opcode.CLOSE), inbox.received().stream().map(WebSocketMessage::opcode).toList());
            assertTrue(inbox.toString().startsWith("TEXT (0x1) 5 bytes: Hello\nBINARY (0x2) 3 bytes"), inbox.toString());
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
            WebSocketMessage whole = inbox.takeMessage();
            assertEquals(65536, whole.payload().length);
            assertEquals(7, whole.payload()[65535]);
            assertTrue(whole.last());
            server.sendFragmented("Hello", 3);
            assertEquals("TEXT (0x1) 5 bytes: Hello", inbox.takeMessage().toString());
            server.ping("x");
            assertEquals("PING (0x9) 1 bytes: x", inbox.takeMessage().toString());
        }
    }
}

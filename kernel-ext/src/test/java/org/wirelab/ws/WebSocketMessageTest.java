package org.wirelab.ws;

import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Socket;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.lifecycle.Lifecycle;

class WebSocketMessageTest {

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    // Upgrades a raw socket and sends one masked frame given in hex.
    private static WebSocketMessage send(String frameHex) throws IOException {
        var server = WebSocketDemoServer.newBuilder().echo(false).start();
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes());
            // RFC 6455 §4.1: the client waits for the server's response before sending frames.
            var in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during the handshake: " + head);
                }
                head.append((char) b);
            }
            socket.getOutputStream().write(HexFormat.ofDelimiter(" ").parseHex(frameHex));
            return server.takeMessage();
        }
    }

    @Test
    void textMessageShowsOpcodeAndText() throws IOException {
        WebSocketMessage m = send("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        assertEquals(0x1, m.opcode().code());
        assertEquals("48 65 6c 6c 6f", m.hex());
        assertEquals("TEXT (0x1) 5 bytes in 1 frame: Hello", m.toString());
    }

    @Test
    void binaryMessageShowsHex() throws IOException {
        // 82 82 mask 00 00 00 00, payload 00 ff: a binary frame with a zero mask key
        WebSocketMessage m = send("82 82 00 00 00 00 00 ff");
        assertEquals(Opcode.BINARY, m.opcode());
        assertEquals("BINARY (0x2) 2 bytes in 1 frame: 00 ff", m.toString());
        Map<String, Object> bundle = m.mimeBundle();
        assertEquals(m.toString(), bundle.get(MimeBundle.TEXT));
        assertEquals("<pre>" + m + "</pre>", bundle.get(MimeBundle.HTML));
    }
}

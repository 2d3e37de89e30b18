package org.wirelab.ws;

import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketMessage;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.testing.ProcessResources;
import org.wirelab.testing.Tools;

class WebSocketDemoServerTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    /** A raw TCP client: writes handshake and frames byte by byte, reads what the server sent. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Raw(WebSocketDemoServer server) throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
        }

        void write(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(ISO_8859_1));
        }

        void writeHex(String hex) throws IOException {
            socket.getOutputStream().write(HEX.parseHex(hex));
        }

        String head() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed inside the head: " + head.toString(ISO_8859_1));
                }
                head.write(b);
            }
            return head.toString(ISO_8859_1);
        }

        String upgrade(String path, String extraHeaders) throws IOException {
            write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n");
            return head();
        }

        String readHex(int n) throws IOException {
            return HEX.formatHex(in.readNBytes(n));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void upgradeAnswersSwitchingProtocols() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            String head = raw.upgrade("/ws", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("\r\nsec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
            assertTrue(lower(head).contains("\r\nupgrade: websocket\r\n"), head);
            assertFalse(lower(head).contains("sec-websocket-extensions"), "no permessage-deflate: " + head);
        }
    }

    @Test
    void echoesMaskedHelloUnmasked() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            raw.writeHex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
            assertEquals("81 05 48 65 6c 6c 6f", raw.readHex(7));
            WebSocketMessage message = server.takeMessage();
            assertEquals(Opcode.TEXT, message.opcode());
            assertEquals("Hello", message.text());
            assertEquals(1, message.frames());
        }
    }

    @Test
    void fragmentedClientMessageIsReassembled() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            // 01 03 48 65 6c and 80 02 6c 6f (RFC 6455 §5.7), masked with 37 fa 21 3d
            raw.writeHex("01 83 37 fa 21 3d 7f 9f 4d");
            raw.writeHex("80 82 37 fa 21 3d 5b 95");
            WebSocketMessage message = server.takeMessage();
            assertEquals("Hello", message.text());
            assertEquals(2, message.frames());
            assertEquals("81 05 48 65 6c 6c 6f", raw.readHex(7), "echoed as one frame");
        }
    }

    @Test
    void clientPingIsAnsweredWithPong() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            raw.writeHex("89 85 37 fa 21 3d 7f 9f 4d 51 58"); // masked ping "Hello"
            assertEquals("8a 05 48 65 6c 6c 6f", raw.readHex(7));
        }
    }

    @Test
    void serverPingRecordsThePong() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            assertClients(server, 1);
            assertEquals(1, server.ping("Hello"));
            assertEquals("89 05 48 65 6c 6c 6f", raw.readHex(7));
            raw.writeHex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"); // masked pong "Hello" (RFC 6455 §5.7)
            WebSocketMessage pong = server.takePong();
            assertEquals(Opcode.PONG, pong.opcode());
            assertEquals("48 65 6c 6c 6f", pong.hex());
        }
    }

    @Test
    void serverCloseSends1000() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            assertClients(server, 1);
            assertEquals(1, server.closeClients(1000, ""));
            assertEquals("88 02 03 e8", raw.readHex(4));
            raw.writeHex("88 82 37 fa 21 3d 34 12"); // masked close 1000 back
            assertEquals(-1, raw.in.read(), "the server closes TCP after the closing handshake");
        }
    }

    @Test
    void clientCloseIsEchoedWithItsCode() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            raw.writeHex("88 82 37 fa 21 3d 34 12"); // masked close 1000
            assertEquals("88 02 03 e8", raw.readHex(4));
            assertEquals(-1, raw.in.read());
        }
    }

    @Test
    void sendFragmentedMatchesRfcFragments() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            assertClients(server, 1);
            server.sendFragmented("Hello", 3);
            assertEquals("01 03 48 65 6c 80 02 6c 6f", raw.readHex(9));
        }
    }

    @Test
    void pushSendsOneUnmaskedTextFrame() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            assertClients(server, 1);
            assertEquals(1, server.push("Hello"));
            assertEquals("81 05 48 65 6c 6c 6f", raw.readHex(7));
        }
    }

    @Test
    void pushEveryStopsAfterItsCount() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            assertClients(server, 1);
            int[] n = {0};
            server.pushEvery(Duration.ofMillis(20), 3, () -> "t" + (++n[0]));
            assertEquals("81 02 74 31 81 02 74 32 81 02 74 33", raw.readHex(12));
            raw.writeHex("81 80 00 00 00 00"); // empty masked text: echoed as 81 00 behind any extra push
            assertEquals("81 00", raw.readHex(2), "no fourth push");
        }
    }

    @Test
    void missingKeyIsRejectedInProtocolTerms() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            String response = raw.head() + new String(raw.in.readAllBytes(), ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nnot a WebSocket request: missing Sec-WebSocket-Key\n"), response);
        }
    }

    @Test
    void plainGetIsRejectedForMissingUpgrade() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String response = raw.head() + new String(raw.in.readAllBytes(), ISO_8859_1);
            assertTrue(response.endsWith("\r\n\r\nnot a WebSocket request: missing Upgrade: websocket\n"), response);
        }
    }

    @Test
    void otherVersionGets426WithVersion13() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            raw.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n");
            String head = raw.head();
            assertTrue(head.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), head);
            assertTrue(lower(head).contains("\r\nsec-websocket-version: 13\r\n"), head);
        }
    }

    @Test
    void wrongPathIs404() throws IOException {
        try (var server = WebSocketDemoServer.start(); var raw = new Raw(server)) {
            assertTrue(raw.upgrade("/chat", "").startsWith("HTTP/1.1 404 Not Found\r\n"));
        }
    }

    @Test
    void subprotocolIsChosenFromTheClientsList() throws IOException {
        try (var server = WebSocketDemoServer.newBuilder().subprotocols("chat", "superchat").start();
                var raw = new Raw(server)) {
            String head = raw.upgrade("/ws", "Sec-WebSocket-Protocol: superchat, chat\r\n");
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(lower(head).contains("\r\nsec-websocket-protocol: superchat\r\n"), head);
        }
    }

    @Test
    void frameOverMaxPayloadGetsClose1009() throws IOException {
        try (var server = WebSocketDemoServer.newBuilder().maxFramePayload(4).start(); var raw = new Raw(server)) {
            raw.upgrade("/ws", "");
            raw.writeHex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
            String start = raw.readHex(4);
            assertTrue(start.startsWith("88 "), start);
            assertTrue(start.endsWith(" 03 f1"), "close code 1009 (message too big): " + start);
        }
    }

    @Test
    void jdkWebSocketEchoesPushesAndSeesCloseCode() throws Exception {
        try (var server = WebSocketDemoServer.newBuilder().subprotocols("chat").start()) {
            LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("chat")
                    .buildAsync(server.uri(), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            events.add("text " + data);
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            events.add("close " + code + " " + reason);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            assertEquals("chat", ws.getSubprotocol());
            ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
            assertEquals("text hi", events.poll(5, TimeUnit.SECONDS));
            assertEquals("hi", server.takeMessage().text());
            server.push("news");
            assertEquals("text news", events.poll(5, TimeUnit.SECONDS));
            server.closeClients(4000, "bye");
            assertEquals("close 4000 bye", events.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void pythonWebsocketsClientGetsItsEcho() throws Exception {
        Path python = Tools.pythonWithWebsockets();
        try (var server = WebSocketDemoServer.start()) {
            Path script = Files.createTempFile("ws-client", ".py");
            try {
                Files.writeString(script, String.join("\n",
                        "import sys",
                        "from websockets.sync.client import connect",
                        "with connect(sys.argv[1], open_timeout=5, close_timeout=5) as ws:",
                        "    ws.send('hello from python')",
                        "    print(ws.recv(timeout=5))",
                        "    print(ws.response.headers.get('Sec-WebSocket-Extensions'))",
                        ""));
                Process p = new ProcessBuilder(python.toString(), script.toString(), server.uri().toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), UTF_8);
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "python did not finish");
                assertEquals(0, p.exitValue(), out);
                assertEquals(List.of("hello from python", "None"), out.lines().toList());
                assertEquals("hello from python", server.takeMessage().text());
            } finally {
                Files.deleteIfExists(script);
            }
        }
    }

    @Test
    void takeMessageTimesOutWithAClearMessage() {
        try (var server = WebSocketDemoServer.start()) {
            var e = assertThrows(IllegalStateException.class, () -> server.takeMessage(Duration.ofMillis(50)));
            assertEquals("no WebSocket message arrived within 50 ms", e.getMessage());
        }
    }

    @Test
    void closeRejectsCodesThatMayNotBeSent() {
        try (var server = WebSocketDemoServer.start()) {
            assertThrows(IllegalArgumentException.class, () -> server.closeClients(1005, ""));
            assertThrows(IllegalArgumentException.class, () -> server.ping(new byte[126]));
        }
    }

    @Test
    void reRunReplacesPreviousServer() throws Exception {
        WebSocketDemoServer.start().close();
        ProcessResources before = ProcessResources.now();
        WebSocketDemoServer previous = null;
        for (int i = 0; i < 20; i++) {
            WebSocketDemoServer server = WebSocketDemoServer.start();
            if (previous != null) {
                int oldPort = previous.port();
                if (oldPort != server.port()) { // the kernel may hand the freed port out again
                    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", oldPort).close());
                }
            }
            try (var raw = new Raw(server)) {
                assertTrue(raw.upgrade("/ws", "").startsWith("HTTP/1.1 101 "));
            }
            previous = server;
        }
        assertEquals(1, Lifecycle.openCount());
        Lifecycle.closeAll();
        ProcessResources.assertBackTo(before);
    }

    // The server counts a client once it sends the 101 (RFC 6455 §4.2.2), so no wait: it holds as soon as the 101 was read.
    private static void assertClients(WebSocketDemoServer server, int n) {
        assertEquals(n, server.clients(), "clients counted when the 101 had been read");
    }
}

package org.wirelab.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.tap.Tap;

/** Raw sockets against the WebSocket server, directly and through a tap; answers asserted byte for byte. */
class WsHostilePeerTest {

    private static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static int port(WebSocketDemoServer server, boolean throughTap) {
        return throughTap ? Tap.to(server.address()).port() : server.port();
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String send(Socket s, String wire) throws IOException {
        s.getOutputStream().write(wire.getBytes(StandardCharsets.ISO_8859_1));
        return "";
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static String rest(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    // Another client still completes its opening handshake.
    private static void servesAnother(int port) throws IOException {
        try (Socket s = open(port)) {
            send(s, HANDSHAKE);
            assertEquals("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                    + "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", head(s.getInputStream()));
        }
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void handshakeWithoutHostIsAnswered400(boolean throughTap) throws IOException {
        var server = WebSocketDemoServer.start();
        int port = port(server, throughTap);
        try (Socket s = open(port)) {
            send(s, HANDSHAKE.replace("Host: 127.0.0.1\r\n", ""));
            assertEquals("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 38\r\n"
                    + "connection: close\r\n\r\nnot a WebSocket request: missing Host\n", rest(s));
        }
        assertEquals("connection 1: 400, not a WebSocket request: missing Host", server.refusals().get(0));
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void unfinishedHandshakeIsAnswered408AfterHandshakeTimeout(boolean throughTap) throws IOException {
        var server = WebSocketDemoServer.newBuilder().handshakeTimeout(Duration.ofMillis(200)).start();
        int port = port(server, throughTap);
        try (Socket s = open(port)) {
            send(s, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpg");
            assertEquals("HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 42\r\n"
                    + "connection: close\r\n\r\nopening handshake incomplete after 200 ms\n", rest(s));
        }
        assertEquals("connection 1: 408, opening handshake incomplete after 200 ms", server.refusals().get(0));
        servesAnother(port);
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void connectionPastMaxConnectionsIsAnswered503(boolean throughTap) throws IOException {
        var server = WebSocketDemoServer.newBuilder().maxConnections(1).start();
        int port = port(server, throughTap);
        try (Socket first = open(port)) {
            send(first, HANDSHAKE);
            assertTrue(head(first.getInputStream()).startsWith("HTTP/1.1 101 "));
            try (Socket second = open(port)) {
                String answer = rest(second).replaceFirst("date: [^\r]*\r\n", "date: <date>\r\n");
                assertEquals("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=US-ASCII\r\n"
                        + "content-length: 59\r\nconnection: close\r\ndate: <date>\r\n\r\n"
                        + "too many connections: this server serves at most 1 at once\n", answer);
            }
            assertEquals(1, server.clients(), "the first client is still connected");
        }
    }
}

package org.wirelab.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wirelab.wire.Direction.CLIENT_TO_SERVER;
import static org.wirelab.wire.Direction.SERVER_TO_CLIENT;
import static org.wirelab.tap.Wire.accept;
import static org.wirelab.tap.Wire.ascii;
import static org.wirelab.tap.Wire.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.ws.WebSocketDemoServer;

/** A peer that writes and then resets: the tap passes on every byte it read before passing on the RST. */
class TapResetTest {

    private static final String TOO_LARGE = "HTTP/1.1 413 Request Entity Too Large\r\n"
            + "content-type: text/plain; charset=US-ASCII\r\ncontent-length: 32\r\nconnection: close\r\n\r\n"
            + "request body over 1048576 bytes\n";

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    // Everything readable until EOF or a reset, which ends the stream like EOF here.
    private static byte[] readUntilEndOrReset(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            // connection reset: what arrived before it is in got
        }
        return got.toByteArray();
    }

    // Writes bytes from another thread, stopping quietly when the peer has gone.
    private static CompletableFuture<Void> writeInBackground(OutputStream out, byte[]... parts) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (byte[] part : parts) {
                    out.write(part);
                }
                out.flush();
            } catch (IOException e) {
                // the server reset the connection while we were still uploading
            }
        });
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void uploadOverTheLimitGets413BeforeTheResetThroughTheTap(boolean throughTap) throws Exception {
        var server = HttpDemoServer.start();
        Tap tap = throughTap ? Tap.to(server.address()) : null;
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), throughTap ? tap.port() : server.port())) {
            client.setSoTimeout(10_000);
            var upload = writeInBackground(client.getOutputStream(),
                    ascii("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\n\r\n"),
                    random(5_000_000, 1));
            String answer = new String(readUntilEndOrReset(client.getInputStream()), StandardCharsets.ISO_8859_1);
            upload.join();
            assertEquals(TOO_LARGE, answer);
        }
        if (throughTap) {
            tap.awaitClosed();
            Connection c = tap.recording().connection(1);
            assertArrayEquals(TOO_LARGE.getBytes(StandardCharsets.ISO_8859_1), c.stream(SERVER_TO_CLIENT));
        }
    }

    @Test
    void tsharkSeesThe413OnTheClientLegBeforeTheTapsReset() throws Exception {
        var server = HttpDemoServer.start();
        Tap tap = Tap.to(server.address());
        try (Wire.Capture capture = new Wire.Capture(tap.port())) {
            int clientPort;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), tap.port())) {
                clientPort = client.getLocalPort();
                client.setSoTimeout(10_000);
                var upload = writeInBackground(client.getOutputStream(),
                        ascii("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\n\r\n"),
                        random(5_000_000, 1));
                assertEquals(TOO_LARGE, new String(readUntilEndOrReset(client.getInputStream()), StandardCharsets.ISO_8859_1));
                upload.join();
            }
            tap.awaitClosed();
            byte[][] wire = capture.follow();
            assertArrayEquals(TOO_LARGE.getBytes(StandardCharsets.ISO_8859_1), wire[1], "tap → client on the wire");
            assertArrayEquals(wire[1], tap.recording().connection(1).stream(SERVER_TO_CLIENT), "recorded as on the wire");
            // the packets the tap sent to the client: the 413's bytes, then (after them) a reset
            List<String> fromTap = capture.fields("tcp.srcport", "tcp.dstport", "tcp.len", "tcp.flags.reset").stream()
                    .filter(l -> l.startsWith(tap.port() + "\t" + clientPort + "\t")).toList();
            int lastData = -1;
            int firstReset = -1;
            for (int i = 0; i < fromTap.size(); i++) {
                String[] f = fromTap.get(i).split("\t");
                if (Integer.parseInt(f[2]) > 0) {
                    lastData = i;
                }
                if (firstReset < 0 && (f[3].equals("1") || f[3].equals("True"))) {
                    firstReset = i;
                }
            }
            assertTrue(lastData >= 0 && (firstReset < 0 || firstReset > lastData), "data, then any RST, from the tap: " + fromTap);
            // The server's RST reaches the tap only when it comes before the server's FIN or fails a
            // later write; when the server FINs and the RST answers bytes already in the tap's send
            // buffer, no read or write shows it (seen 6 of 30 with both cores busy). The tap passes on
            // exactly the RST it recorded, never one it did not see and never none for one it saw.
            boolean recordedReset = tap.recording().connection(1).events(SERVER_TO_CLIENT).stream()
                    .anyMatch(e -> e.kind() == TapEvent.Kind.RESET);
            assertEquals(recordedReset, firstReset >= 0, "RST recorded " + recordedReset + ", on the wire: " + fromTap);
        }
    }

    @ParameterizedTest(name = "through a tap: {0}")
    @ValueSource(booleans = {false, true})
    void twoMebibyteWebSocketMessageGetsClose1009ThroughTheTap(boolean throughTap) throws Exception {
        var server = WebSocketDemoServer.start();
        Tap tap = throughTap ? Tap.to(server.address()) : null;
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), throughTap ? tap.port() : server.port())) {
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write(ascii("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            InputStream in = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101 "));
            // FIN + binary, MASK + 127: 64-bit length 0x200000 (2 MiB), masking key 00 00 00 00
            byte[] frameHead = HexFormat.of().parseHex("82ff0000000000200000" + "00000000");
            var upload = writeInBackground(out, frameHead, new byte[2 * 1024 * 1024]);
            byte[] answer = readUntilEndOrReset(in);
            upload.join();
            String hex = HexFormat.ofDelimiter(" ").formatHex(answer);
            assertTrue(hex.startsWith("88 ") && hex.length() >= 11 && hex.substring(6, 11).equals("03 f1"),
                    "close 1009 expected: " + hex);
        }
    }

    // 48 KiB: fits the receiver's socket buffer on loopback, so it can all be there unread when the RST comes.
    private static final int SENT = 48 * 1024;

    @ParameterizedTest(name = "latency {0} ms")
    @ValueSource(ints = {0, 300})
    void serverDataThenResetReachesTheClientInFullBeforeTheReset(int latencyMillis) throws Exception {
        try (ServerSocket listener = Wire.server(); Tap tap = Tap.to(Wire.address(listener));
             Socket client = connect(tap); Socket server = accept(listener)) {
            // with latency the bytes still wait in the tap when the RST arrives
            tap.downstream().latency(java.time.Duration.ofMillis(latencyMillis));
            client.getOutputStream().write(ascii("request the server never reads"));
            tap.awaitBytes(CLIENT_TO_SERVER, 30);
            byte[] data = random(SENT, 2);
            server.getOutputStream().write(data);
            tap.awaitBytes(SERVER_TO_CLIENT, SENT);
            server.setSoLinger(true, 0);
            server.close(); // RST, with 30 unread bytes in its receive buffer
            tap.awaitClosed();
            byte[] got = readUntilEndOrReset(client.getInputStream());
            assertArrayEquals(data, got, "the client read " + got.length + " of " + SENT + " bytes");
            Connection c = tap.recording().connection(1);
            assertArrayEquals(data, c.stream(SERVER_TO_CLIENT));
            var last = c.events(SERVER_TO_CLIENT).get(c.events(SERVER_TO_CLIENT).size() - 1);
            assertEquals(TapEvent.Kind.RESET, last.kind());
            assertEquals(SENT, last.offset(), "the RST comes after every byte: " + last);
            assertReset(client);
        }
    }

    @ParameterizedTest(name = "latency {0} ms")
    @ValueSource(ints = {0, 300})
    void clientDataThenResetReachesTheServerInFullBeforeTheReset(int latencyMillis) throws Exception {
        try (ServerSocket listener = Wire.server(); Tap tap = Tap.to(Wire.address(listener));
             Socket client = connect(tap); Socket server = accept(listener)) {
            // with latency the bytes still wait in the tap when the RST arrives
            tap.upstream().latency(java.time.Duration.ofMillis(latencyMillis));
            server.getOutputStream().write(ascii("greeting the client never reads"));
            tap.awaitBytes(SERVER_TO_CLIENT, 31);
            byte[] data = random(SENT, 3);
            client.getOutputStream().write(data);
            tap.awaitBytes(CLIENT_TO_SERVER, SENT);
            client.setSoLinger(true, 0);
            client.close(); // RST, with 31 unread bytes in its receive buffer
            tap.awaitClosed();
            byte[] got = readUntilEndOrReset(server.getInputStream());
            assertArrayEquals(data, got, "the server read " + got.length + " of " + SENT + " bytes");
            Connection c = tap.recording().connection(1);
            assertArrayEquals(data, c.stream(CLIENT_TO_SERVER));
            var last = c.events(CLIENT_TO_SERVER).get(c.events(CLIENT_TO_SERVER).size() - 1);
            assertEquals(TapEvent.Kind.RESET, last.kind());
            assertEquals(SENT, last.offset(), "the RST comes after every byte: " + last);
            assertReset(server);
        }
    }

    // After the bytes, the reset itself arrived (not a FIN): a write now fails or a read says reset.
    private static void assertReset(Socket s) {
        boolean reset = false;
        try {
            for (int i = 0; i < 50 && !reset; i++) {
                s.getOutputStream().write(1);
                Thread.sleep(10);
            }
        } catch (IOException e) {
            reset = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue(reset, "no reset reached " + s);
    }
}

package org.wirelab.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Locale;

/** A raw socket to the server under test, reading responses by hand so every byte can be asserted. */
final class RawHttp implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(HttpDemoServer server) throws IOException {
        this(server.port());
    }

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String wire) throws IOException {
        out.write(wire.getBytes(ISO_8859_1));
        out.flush();
    }

    /** Everything up to and including the blank line ending the head. */
    String head() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the head: " + head.toString(ISO_8859_1));
            }
            head.write(b);
            String text = head.toString(ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
    }

    /** A response with a Content-Length body (or none): head plus body. */
    Response response() throws IOException {
        String head = head();
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new Response(head, new String(in.readNBytes(length), ISO_8859_1));
    }

    String bytes(int n) throws IOException {
        return new String(in.readNBytes(n), ISO_8859_1);
    }

    String rest() throws IOException {
        return new String(in.readAllBytes(), ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Response(String head, String body) {
        String statusLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}

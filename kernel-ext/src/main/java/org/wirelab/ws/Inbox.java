package org.wirelab.ws;

import org.wirelab.wire.Hex;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.lifecycle.Lifecycle;

/**
 * What a JDK {@link WebSocket} client received, in arrival order: a {@link WebSocket.Listener}
 * that keeps every text or binary part (with its "last" flag, so fragments stay visible), ping,
 * pong, close and error. Pings are answered by the JDK itself with a pong (RFC 6455 §5.5.3).
 *
 * <pre>{@code
 * var inbox = Inbox.create();
 * var ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(), inbox).join();
 * ws.sendText("Hello", true);
 * inbox.take()          // TEXT "Hello"
 * }</pre>
 */
public final class Inbox implements WebSocket.Listener, Rich {

    /** The kind of thing the client received. */
    public enum Kind {
        /** A text message or, with {@code last == false}, one part of it. */
        TEXT,
        /** A binary message or part of it. */
        BINARY,
        /** A ping (opcode 0x9); the JDK answers it with a pong. */
        PING,
        /** A pong (opcode 0xA). */
        PONG,
        /** The server's close frame (opcode 0x8) with its status code. */
        CLOSE,
        /** The client failed, e.g. the connection was reset. */
        ERROR
    }

    /**
     * One thing received.
     *
     * @param kind  TEXT, BINARY, PING, PONG, CLOSE or ERROR
     * @param bytes the payload, e.g. the UTF-8 of "Hello"; for CLOSE the reason; for ERROR the message
     * @param last  whether this ends its message ({@code false} for a fragment that more parts follow)
     * @param code  the close status code, e.g. {@code 1000}; 0 for the other kinds
     * @param time  when the listener saw it
     */
    public record Item(Kind kind, byte[] bytes, boolean last, int code, Instant time) {

        /** Copies the payload. */
        public Item {
            bytes = bytes.clone();
        }

        /** The payload (a copy). */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The payload as UTF-8 text, e.g. {@code "Hello"}. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** E.g. {@code TEXT "Hel" (part, more follows)}, {@code BINARY 256 bytes}, {@code CLOSE 1000 "bye"}. */
        @Override
        public String toString() {
            String body = switch (kind) {
                case BINARY -> bytes.length + " bytes" + (bytes.length > 0 ? " " + Hex.pairs(bytes, 0,
                        Math.min(bytes.length, 8), " ") + (bytes.length > 8 ? " …" : "") : "");
                case CLOSE -> code + " \"" + text() + "\"";
                case ERROR -> text();
                default -> "\"" + text() + "\"";
            };
            return kind + " " + body + (last ? "" : " (part, more follows)");
        }
    }

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final List<Item> all = new ArrayList<>();

    private Inbox() {
    }

    /** An empty inbox to pass to {@code newWebSocketBuilder().buildAsync(uri, inbox)}. */
    public static Inbox create() {
        return new Inbox();
    }

    private void add(Kind kind, byte[] bytes, boolean last, int code) {
        Item item = new Item(kind, bytes, last, code, Instant.now());
        synchronized (all) {
            all.add(item);
        }
        queue.add(item);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        add(Kind.TEXT, data.toString().getBytes(StandardCharsets.UTF_8), last, 0);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        add(Kind.BINARY, copy(data), last, 0);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        add(Kind.PING, copy(message), true, 0);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        add(Kind.PONG, copy(message), true, 0);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        add(Kind.CLOSE, reason.getBytes(StandardCharsets.UTF_8), true, statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        add(Kind.ERROR, String.valueOf(error).getBytes(StandardCharsets.UTF_8), true, 0);
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }

    /** The oldest item not taken yet, waiting at most {@link Lifecycle#timeout()} (default 5 s). */
    public Item take() {
        return take(Lifecycle.timeout());
    }

    /** The oldest item not taken yet, waiting at most {@code timeout}, e.g. {@code Duration.ofSeconds(1)}. */
    public Item take(Duration timeout) {
        try {
            Item item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new IllegalStateException("the WebSocket client received nothing within " + timeout.toMillis() + " ms");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the WebSocket client to receive", e);
        }
    }

    /** Everything received so far, taken or not, in arrival order. */
    public List<Item> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** One line per item received so far. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Item i : received()) {
            out.append(i).append('\n');
        }
        return out.isEmpty() ? "(nothing received)\n" : out.toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).html("<pre>" + Html.escape(toString()) + "</pre>").build();
    }

    /**
     * The next whole message: text or binary parts joined until the one marked last (the JDK
     * hands a large or fragmented message over in parts), or the next control item as it is;
     * e.g. {@code BINARY 65536 bytes} for a 64 KiB message. Each part waits at most {@link Lifecycle#timeout()}.
     */
    public Item takeMessage() {
        Item first = take();
        if (first.last() || (first.kind() != Kind.TEXT && first.kind() != Kind.BINARY)) {
            return first;
        }
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        joined.writeBytes(first.bytes);
        Item part = first;
        while (!part.last()) {
            part = take();
            if (part.kind() != first.kind()) {
                throw new IllegalStateException("a " + first.kind() + " message was interrupted by " + part);
            }
            joined.writeBytes(part.bytes);
        }
        return new Item(first.kind(), joined.toByteArray(), true, 0, part.time());
    }
}

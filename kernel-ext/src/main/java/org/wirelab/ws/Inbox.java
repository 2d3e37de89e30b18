package org.wirelab.ws;

import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketMessage;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * pong and close as a {@link WebSocketMessage}, and the error that ended the client, if any. Pings
 * are answered by the JDK itself with a pong (RFC 6455 §5.5.3).
 *
 * <pre>{@code
 * var inbox = Inbox.create();
 * var ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(), inbox).join();
 * ws.sendText("Hello", true);
 * inbox.take()          // TEXT (0x1) 5 bytes: Hello
 * }</pre>
 */
public final class Inbox implements WebSocket.Listener, Rich {

    // put in the queue after the client failed, so that take() says why instead of waiting
    private static final WebSocketMessage FAILED = new WebSocketMessage(Opcode.CLOSE, new byte[0], 0, true);

    private final LinkedBlockingQueue<WebSocketMessage> queue = new LinkedBlockingQueue<>();
    private final List<WebSocketMessage> all = new ArrayList<>();
    private volatile String error;

    private Inbox() {
    }

    /** An empty inbox to pass to {@code newWebSocketBuilder().buildAsync(uri, inbox)}. */
    public static Inbox create() {
        return new Inbox();
    }

    private void add(Opcode opcode, byte[] bytes, boolean last) {
        WebSocketMessage item = new WebSocketMessage(opcode, bytes, 0, last);
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
        add(Opcode.TEXT, data.toString().getBytes(StandardCharsets.UTF_8), last);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        add(Opcode.BINARY, copy(data), last);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        add(Opcode.PING, copy(message), true);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        add(Opcode.PONG, copy(message), true);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        WebSocketMessage close = WebSocketMessage.close(statusCode, reason);
        add(Opcode.CLOSE, close.payload(), true);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        this.error = String.valueOf(error);
        queue.add(FAILED);
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }

    /**
     * The oldest message or part not taken yet, waiting at most {@link Lifecycle#timeout()} (default 5 s);
     * fails saying why once the client failed and nothing is left.
     */
    public WebSocketMessage take() {
        return take(Lifecycle.timeout());
    }

    /** The oldest message or part not taken yet, waiting at most {@code timeout}, e.g. {@code Duration.ofSeconds(1)}. */
    public WebSocketMessage take(Duration timeout) {
        try {
            WebSocketMessage item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new IllegalStateException("the WebSocket client received nothing within " + timeout.toMillis() + " ms");
            }
            if (item == FAILED) {
                queue.add(FAILED);
                throw new IllegalStateException("the WebSocket client failed: " + error);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the WebSocket client to receive", e);
        }
    }

    /** The error that ended the client, e.g. {@code java.io.IOException: connection reset}; empty while none. */
    public java.util.Optional<String> error() {
        return java.util.Optional.ofNullable(error);
    }

    /** Everything received so far, taken or not, in arrival order. */
    public List<WebSocketMessage> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** One line per item received so far. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (WebSocketMessage m : received()) {
            out.append(m).append('\n');
        }
        if (error != null) {
            out.append("ERROR ").append(error).append('\n');
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
     * e.g. {@code BINARY (0x2) 65536 bytes: 00 00 ...} for a 64 KiB message. Each part waits at most
     * {@link Lifecycle#timeout()}.
     */
    public WebSocketMessage takeMessage() {
        WebSocketMessage first = take();
        if (first.last() || (first.opcode() != Opcode.TEXT && first.opcode() != Opcode.BINARY)) {
            return first;
        }
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        joined.writeBytes(first.payload());
        WebSocketMessage part = first;
        while (!part.last()) {
            part = take();
            if (part.opcode() != first.opcode()) {
                throw new IllegalStateException("a " + first.opcode() + " message was interrupted by " + part);
            }
            joined.writeBytes(part.payload());
        }
        return new WebSocketMessage(first.opcode(), joined.toByteArray(), 0, true);
    }
}

package org.wirelab.http2;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.wirelab.http.EventLog;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.http.RecordedRequest;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;
import org.wirelab.lifecycle.Settings;
import org.wirelab.lifecycle.Waits;

/**
 * An HTTP/2 origin server over cleartext TCP (h2c, RFC 9113 §3) on loopback, on Netty's
 * codec-http2. A client starts HTTP/2 either way RFC 9113 §3 allows:
 * <ul>
 * <li>with prior knowledge: it sends the connection preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}
 *     and a SETTINGS frame straight away ({@code curl --http2-prior-knowledge});
 * <li>with an HTTP/1.1 request carrying {@code Upgrade: h2c} and {@code HTTP2-Settings} (RFC 7540 §3.2,
 *     deprecated by RFC 9113 §3.1 but still what the JDK's {@code HttpClient} with {@code Version.HTTP_2}
 *     does over {@code http://}): the server answers {@code 101 Switching Protocols} and sends the
 *     response to that request on stream 1.
 * </ul>
 * An HTTP/1.1 request without the upgrade gets {@code 426 Upgrade Required}.
 *
 * <p>Routes: the routes of {@link HttpDemoServer}, with the same meaning, in HTTP/2 terms, and
 * {@code /bytes/{n}}. GET and HEAD ({@code /echo} takes any method, others answer 405); a HEAD gets
 * the HEADERS frame alone. Every stream is answered on its own, in whatever order its answer is ready:
 * <ul>
 * <li>{@code /} lists the routes, at once;
 * <li>{@code /echo} answers the request's header fields as decoded from HPACK, and its body (at most
 *     1 MiB, else 413); the request body's DATA frames are given back to the client's window as they
 *     are read, so a body larger than 65,535 bytes waits for WINDOW_UPDATE frames (RFC 9113 §6.9);
 * <li>{@code /delay/{ms}} answers after ms milliseconds (at most 60000), scheduled on the event
 *     loop, so other streams of the same connection are answered meanwhile;
 * <li>{@code /chunked} answers "Wikipedia in\r\n\r\nchunks." in the three pieces of the classic
 *     example ({@link HttpDemoServer#CHUNKED_PIECES}) as three DATA frames, sent at once and without
 *     content-length. HTTP/2 has no chunked coding (RFC 9113 §8.2.2): DATA frames are its pieces;
 * <li>{@code /chunked/{ms}} sends the same three DATA frames ms milliseconds apart (at most 60000),
 *     the last with END_STREAM: a slow response that drips while other streams are answered between
 *     its frames;
 * <li>{@code /poll} answers the latest published event, or 204 (a HEADERS frame with END_STREAM) when there is none;
 * <li>{@code /longpoll} holds its stream until the next published event, or 204 after {@code longPollTimeout};
 * <li>{@code /events} is a server-sent event stream (text/event-stream) on one HTTP/2 stream that stays
 *     open: one DATA frame per event, {@code id:} and {@code data:} lines; {@code last-event-id}
 *     replays the events after it; the client ends it with RST_STREAM;
 * <li>{@code /bytes/{n}} answers n bytes (at most 1 MiB) in DATA frames of at most 16,384 bytes,
 *     paced by the client's flow-control windows (RFC 9113 §5.2, WINDOW_UPDATE);
 * <li>anything else is 404.
 * </ul>
 * Timers ({@code /delay}, {@code /chunked/{ms}}, {@code /longpoll}) run on the connection's event
 * loop, never as sleeps, and end with their stream (RST_STREAM) or connection; {@link #close()}
 * closes every connection. {@link #takeRequest()} gives every request as it arrived.
 *
 * <p>{@code /chunked/150}, frame by frame (9-byte frame header, then the payload):
 * <pre>
 * 00 00 04 00 00 00 00 00 01  57 69 6b 69                               DATA s=1 "Wiki"   at 0 ms
 * 00 00 05 00 00 00 00 00 01  70 65 64 69 61                            DATA s=1 "pedia"  at 150 ms
 * 00 00 0e 00 01 00 00 00 01  20 69 6e 0d 0a 0d 0a 63 68 75 6e 6b 73 2e DATA s=1 END_STREAM at 300 ms
 * </pre>
 *
 * <pre>
 * 50 52 49 20 2a 20 48 54 54 50 2f 32 2e 30 0d 0a 0d 0a 53 4d 0d 0a 0d 0a   PRI * HTTP/2.0 ... SM ...
 * 00 00 12 04 00 00 00 00 00 ...                                             SETTINGS, 18 bytes, stream 0
 * </pre>
 *
 * <pre>{@code
 * var server = Http2DemoServer.start();
 * var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
 * client.send(HttpRequest.newBuilder(server.uri("/delay/300")).build(), HttpResponse.BodyHandlers.ofString()).version()  // HTTP_2
 * }</pre>
 */
public final class Http2DemoServer implements AutoCloseable {

    /** The largest {@code /bytes/{n}}: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;
    /** The longest {@code /delay/{ms}} and {@code /chunked/{ms}} spacing: 60 seconds. */
    public static final int MAX_DELAY_MS = 60_000;
    /** The largest request body {@code /echo} answers: 1 MiB; larger ones get 413. */
    static final int MAX_REQUEST_BODY = 1 << 20;
    /** The largest HTTP/1.1 request (head and body) that may ask for {@code Upgrade: h2c}: 64 KiB. */
    static final int MAX_UPGRADE_REQUEST = 1 << 16;

    final Builder config;
    final EventLog log = new EventLog();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final List<AtomicInteger> perConnection = new ArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> received = new LinkedBlockingQueue<>();
    private volatile Channel listener;

    Http2DemoServer(Builder config) {
        this.config = config;
    }

    /** Starts with the defaults on 127.0.0.1 and an ephemeral port; re-running the same notebook statement closes the previous one. */
    public static Http2DemoServer start() {
        return newBuilder().start();
    }

    /** Starts on 127.0.0.1:{@code port}, e.g. {@code 8080}; 0 is an ephemeral port. */
    public static Http2DemoServer start(int port) {
        return newBuilder().port(port).start();
    }

    /** A builder, e.g. {@code Http2DemoServer.newBuilder().delay("/slow", Duration.ofMillis(300)).start()}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Settings of an {@link Http2DemoServer}, named as {@link HttpDemoServer.Builder}'s. Not here:
     * {@code keepAlive} (an HTTP/2 connection carries every request, RFC 9113 §9.1) and the HTTP/1.1
     * head and body timeouts and connection limit.
     */
    public static final class Builder {
        private int port;
        private String host = Listeners.LOOPBACK;
        final Map<String, Duration> delays = new LinkedHashMap<>();
        Duration longPollTimeout = Lifecycle.timeout();

        private Builder() {
        }

        /**
         * The address to listen on, e.g. {@code "0.0.0.0"} for every interface; default
         * {@code 127.0.0.1}, loopback only. Beyond loopback the server is reachable from other
         * machines, and its {@code toString()} says so.
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on, e.g. {@code 8080}; default 0 (ephemeral). */
        public Builder port(int port) {
            this.port = Listeners.port(port);
            return this;
        }

        /** Delays every response to {@code path} (no query), e.g. {@code delay("/slow", Duration.ofMillis(300))}; default none. */
        public Builder delay(String path, Duration delay) {
            delays.put(Objects.requireNonNull(path, "path"), Settings.notNegative("delay", delay));
            return this;
        }

        /** How long {@code /longpoll} holds before answering 204, e.g. {@code Duration.ofSeconds(30)}; default {@link Lifecycle#timeout()}. */
        public Builder longPollTimeout(Duration timeout) {
            this.longPollTimeout = Settings.positive("longPollTimeout", timeout);
            return this;
        }

        /** Binds and starts the server; re-running the same notebook statement closes the previous one. */
        public Http2DemoServer start() {
            return Lifecycle.start("http2-demo", new Http2DemoServer(this), s -> s.bind(port, host));
        }
    }

    private void bind(int port, String host) {
        ServerBootstrap bootstrap = Listeners.serving(channels, ch -> Http2Pipeline.install(ch.pipeline(), this));
        listener = Listeners.listen(bootstrap, host, port);
    }

    /** The number (from 1) and request counter of one more accepted connection. */
    Map.Entry<Integer, AtomicInteger> newConnection() {
        AtomicInteger count = new AtomicInteger();
        synchronized (perConnection) {
            perConnection.add(count);
            return Map.entry(perConnection.size(), count);
        }
    }

    /** The port it listens on, e.g. {@code 41027}. */
    public int port() {
        return address().getPort();
    }

    /** The address it listens on, e.g. {@code /127.0.0.1:41027}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The {@code http://} URI of {@code path} on this server, e.g. {@code http://127.0.0.1:41027/delay/300}. */
    public URI uri(String path) {
        return URI.create("http://" + Listeners.uriHost(address()) + ":" + port() + (path.startsWith("/") ? "" : "/") + path);
    }

    /** How many TCP connections it accepted so far, e.g. {@code 1}. */
    public int connections() {
        synchronized (perConnection) {
            return perConnection.size();
        }
    }

    /** How many requests (streams) it received so far on all connections, e.g. {@code 5}. */
    public int requests() {
        synchronized (perConnection) {
            return perConnection.stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /** Requests (streams) per connection in accept order, e.g. {@code [3]}: three streams on one connection. */
    public List<Integer> requestsPerConnection() {
        synchronized (perConnection) {
            return perConnection.stream().map(AtomicInteger::get).toList();
        }
    }

    /** The oldest request not taken yet, waiting at most {@link Lifecycle#timeout()}. */
    public RecordedRequest takeRequest() {
        return takeRequest(Lifecycle.timeout());
    }

    /**
     * The oldest request not taken yet, waiting at most {@code timeout}, e.g. {@code Duration.ofSeconds(1)}:
     * version {@code HTTP/2}, the header fields as decoded from HPACK (pseudo-header fields first), the body
     * from its DATA frames. An interrupt ends the wait.
     */
    public RecordedRequest takeRequest(Duration timeout) {
        return Waits.take(received, timeout, "HTTP/2 request");
    }

    void recorded(RecordedRequest request) {
        received.add(request);
    }

    /**
     * Publishes {@code event}, e.g. {@code "price=42"}: it becomes the {@code /poll} answer, answers
     * every waiting {@code /longpoll} and goes to every {@code /events} stream with the next id (1, 2, ...).
     */
    public void publish(String event) {
        log.publish(event);
    }

    /** The events published so far, oldest first, e.g. {@code [price=41, price=42]}. */
    public List<String> events() {
        return log.events();
    }

    /** How many {@code /longpoll} and {@code /events} requests (streams) are waiting for an event now, e.g. {@code 1}. */
    public int waiting() {
        return log.waiting();
    }

    /** Stops listening, closes every connection (its timers with it) and shuts the event loop down. */
    @Override
    public void close() {
        Lifecycle.untrack(this);
        Listeners.close(listener, channels);
    }

    @Override
    public String toString() {
        return "Http2DemoServer " + (listener == null ? "(not bound)" : uri("/")) + " (h2c: prior knowledge or Upgrade), "
                + connections() + " connection(s), streams per connection " + requestsPerConnection()
                + (listener == null ? "" : Listeners.exposure(address()));
    }
}

package org.wirelab.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpServerCodec;
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
import org.wirelab.lifecycle.Failures;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;
import org.wirelab.lifecycle.Refusals;
import org.wirelab.lifecycle.Settings;
import org.wirelab.lifecycle.Waits;

/**
 * An HTTP/1.0 and HTTP/1.1 origin server on loopback (Netty's HttpServerCodec) with fixed demo
 * routes, persistent connections and pipelining per RFC 9112 §9, and push endpoints.
 *
 * <p>Connections (RFC 9112 §9.3): an HTTP/1.1 connection persists unless a request says
 * {@code Connection: close}; an HTTP/1.0 connection closes after each response unless the request
 * says {@code Connection: keep-alive}. {@code keepAlive(false)} closes after every response.
 * Pipelined requests are answered strictly in request order (§9.3.2): a slow first request holds
 * back the fast second one (head-of-line blocking). Responses say {@code HTTP/1.1} to every client
 * (RFC 9110 §2.5) but never use chunked coding toward an HTTP/1.0 client (RFC 9112 §6.1): those
 * bodies end when the connection closes.
 *
 * <p>Routes (GET and HEAD; {@code /echo} takes any method):
 * <ul>
 * <li>{@code /} lists the routes;
 * <li>{@code /echo} answers the request head and body it received ({@code message/http});
 * <li>{@code /delay/{ms}} answers after ms milliseconds (at most 60000);
 * <li>{@code /chunked} answers "Wikipedia in\r\n\r\nchunks." in the three chunks of the classic example
 * ({@link #CHUNKED_PIECES}), written at once;
 * <li>{@code /chunked/{ms}} writes the same three chunks ms milliseconds apart (at most 60000), on a
 * timer of the event loop; later pipelined responses wait for its last chunk;
 * <li>{@code /poll} answers the latest published event, or 204 when there is none;
 * <li>{@code /longpoll} holds until the next published event, or 204 after {@code longPollTimeout};
 * <li>{@code /events} is a server-sent event stream (text/event-stream): {@code id:} and {@code data:} lines per event;
 * <li>anything else is 404.
 * </ul>
 *
 * <p>Hostile or unfinished requests (each answer is listed in {@link #refusals()} and counted in {@link #toString()}):
 * <ul>
 * <li>an HTTP/1.1 request without exactly one {@code Host} field is answered 400 and the connection
 * closes (RFC 9112 §3.2);
 * <li>a request the HTTP decoder rejects is answered 400 with the decoder's reason and the connection
 * closes: bytes that are no request line, line ends without CR, a head over 8192 bytes, a chunk size
 * that is not hex, two Content-Length values (RFC 9112 §6.3), Transfer-Encoding together with
 * Content-Length (§6.1: the close means a request hidden in the body is never answered);
 * <li>a request head not complete within {@code headTimeout} (default 10 s) of its first byte, or a
 * body not complete within {@code bodyTimeout} (default 30 s) of the end of its head, is answered
 * 408 Request Timeout (RFC 9110 §15.5.9), in its turn after earlier pipelined responses, and the
 * connection closes. A connection that sends nothing between requests is idle, not timed out;
 * {@code maxConnections} bounds how many of those there can be;
 * <li>a body over 1 MiB (1048576 bytes) is answered 413 with {@code Connection: close} and the
 * connection closes without reading the rest, so the client may see a reset (RST) after the 413;
 * <li>past {@code maxConnections} (default 1000) open connections, a new connection is answered
 * 503 Service Unavailable with {@code Connection: close} before it sends anything, its input is
 * read and discarded until it closes or for at most 2 s (so the 503 is not lost to a reset), and
 * it is closed; the connections already open are served as before.
 * </ul>
 *
 * <pre>
 * GET /chunked HTTP/1.1
 * Host: 127.0.0.1:41027
 *
 * HTTP/1.1 200 OK
 * content-type: text/plain; charset=US-ASCII
 * transfer-encoding: chunked
 * date: Wed, 25 Nov 2026 10:43:23 GMT
 *
 * 4
 * Wiki
 * 5
 * pedia
 * E
 *  in
 *
 * chunks.
 * 0
 *
 * </pre>
 *
 * <pre>{@code
 * var server = HttpDemoServer.start();
 * var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
 * client.send(HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString()).body();
 * server.takeRequest()        // GET /echo HTTP/1.1 ...
 * }</pre>
 */
public final class HttpDemoServer implements AutoCloseable {

    static final int MAX_CONTENT = 1 << 20;
    /**
     * The three pieces {@code /chunked} sends, the classic example of chunked coding:
     * {@code "Wiki"}, {@code "pedia"}, {@code " in\r\n\r\nchunks."} (4, 5 and 14 bytes).
     */
    public static final List<String> CHUNKED_PIECES = List.of("Wiki", "pedia", " in\r\n\r\nchunks.");
    /** The lines of the route list ({@code /}) for the push endpoints, which mean the same on every demo server. */
    public static final String PUSH_ROUTES = String.join("\n",
            "GET /poll         latest published event, or 204",
            "GET /longpoll     waits for the next published event, or 204 on timeout",
            "GET /events       server-sent events (text/event-stream)", "");

    final Builder config;
    final Failures failures = new Failures();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final List<AtomicInteger> perConnection = new ArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> received = new LinkedBlockingQueue<>();
    final EventLog log = new EventLog();
    private final Refusals refusals = new Refusals();
    /** How many refusals {@link #refusals()} keeps, newest last: {@value}. */
    public static final int MAX_REFUSALS_KEPT = Refusals.KEPT;
    private final AtomicInteger serving = new AtomicInteger();
    private volatile Channel listener;

    private HttpDemoServer(Builder config) {
        this.config = config;
    }

    /** Starts with the defaults on 127.0.0.1 and an ephemeral port. */
    public static HttpDemoServer start() {
        return newBuilder().start();
    }

    /** A builder, e.g. {@code HttpDemoServer.newBuilder().delay("/slow", Duration.ofMillis(300)).start()}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Settings of an {@link HttpDemoServer}. */
    public static final class Builder {
        private int port;
        String host = Listeners.LOOPBACK;
        boolean keepAlive = true;
        final Map<String, Duration> delays = new LinkedHashMap<>();
        Duration longPollTimeout = Lifecycle.timeout();
        Duration headTimeout = Duration.ofSeconds(10);
        Duration bodyTimeout = Duration.ofSeconds(30);
        int maxConnections = 1000;

        private Builder() {
        }

        /**
         * The address to listen on, e.g. {@code "0.0.0.0"} for every interface; default
         * {@code 127.0.0.1}, loopback only. Beyond loopback the server is reachable from other
         * machines, and its {@code toString()} says so.
         */
        public Builder host(String host) {
            this.host = java.util.Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on, e.g. {@code 8080}; default 0 (ephemeral). */
        public Builder port(int port) {
            this.port = Listeners.port(port);
            return this;
        }

        /** Whether connections may persist; default true, {@code false} closes after every response. */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
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

        /**
         * How long a request head may take from its first byte to its blank line, e.g.
         * {@code Duration.ofSeconds(10)} (the default); past it the answer is 408 and a close.
         */
        public Builder headTimeout(Duration timeout) {
            this.headTimeout = Settings.positive("headTimeout", timeout);
            return this;
        }

        /**
         * How long a request body may take from the end of the head to its last byte, e.g.
         * {@code Duration.ofSeconds(30)} (the default); past it the answer is 408 and a close.
         */
        public Builder bodyTimeout(Duration timeout) {
            this.bodyTimeout = Settings.positive("bodyTimeout", timeout);
            return this;
        }

        /**
         * How many connections may be open at once, e.g. {@code 1000} (the default); one more is
         * answered 503 with {@code Connection: close} and closed, the open ones go on.
         */
        public Builder maxConnections(int max) {
            this.maxConnections = Settings.positive("maxConnections", max);
            return this;
        }

        /** Binds and starts the server; re-running the same notebook statement closes the previous one. */
        public HttpDemoServer start() {
            HttpDemoServer server = new HttpDemoServer(this);
            return Lifecycle.start("http-demo", server, s -> s.bind(port));
        }
    }

    private void bind(int port) {
        ServerBootstrap bootstrap = Listeners.serving(channels, ch -> {
            if (!Listeners.admit(ch, serving, config.maxConnections, this::refused)) {
                return;
            }
            AtomicInteger count = new AtomicInteger();
            int index;
            synchronized (perConnection) {
                perConnection.add(count);
                index = perConnection.size();
            }
            HttpConnection connection = new HttpConnection(HttpDemoServer.this, index, count);
            ch.pipeline().addLast("arrival", connection.arrival());
            ch.pipeline().addLast("codec", new HttpServerCodec());
            ch.pipeline().addLast("demo", connection);
        });
        listener = Listeners.listen(bootstrap, config.host, port);
    }

    /** The port it listens on, e.g. {@code 41027}. */
    public int port() {
        return address().getPort();
    }

    /** The address it listens on, e.g. {@code /127.0.0.1:41027}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The URI of {@code path} on this server, e.g. {@code uri("/echo")} is {@code http://127.0.0.1:41027/echo}. */
    public URI uri(String path) {
        return URI.create("http://" + Listeners.uriHost(address()) + ":" + port() + (path.startsWith("/") ? "" : "/") + path);
    }

    /** How many connections it accepted so far, e.g. {@code 2}. */
    public int connections() {
        synchronized (perConnection) {
            return perConnection.size();
        }
    }

    /** How many requests it received so far on all connections, e.g. {@code 5}. */
    public int requests() {
        synchronized (perConnection) {
            return perConnection.stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /** Requests per connection in accept order, e.g. {@code [3, 1]}: three on the first connection, one on the second. */
    public List<Integer> requestsPerConnection() {
        synchronized (perConnection) {
            return perConnection.stream().map(AtomicInteger::get).toList();
        }
    }

    /** The oldest request not taken yet, waiting at most {@link Lifecycle#timeout()}. */
    public RecordedRequest takeRequest() {
        return takeRequest(Lifecycle.timeout());
    }

    /** The oldest request not taken yet, waiting at most {@code timeout}, e.g. {@code Duration.ofSeconds(1)}. */
    public RecordedRequest takeRequest(Duration timeout) {
        return Waits.take(received, timeout, "HTTP request");
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

    /** How many {@code /longpoll} and {@code /events} requests are waiting for an event now, e.g. {@code 1}. */
    public int waiting() {
        return log.waiting();
    }

    void recorded(RecordedRequest request) {
        received.add(request);
    }

    void refused(String what) {
        refusals.add(what);
    }

    /** How many it refused so far, e.g. {@code 3}; {@link #refusals()} keeps the last {@value #MAX_REFUSALS_KEPT}. */
    public long refusalCount() {
        return refusals.count();
    }

    /**
     * What it refused, the last {@value #MAX_REFUSALS_KEPT}, oldest first, e.g. {@code [connection 2, request 1: 400, HTTP/1.1
     * request without Host (RFC 9112 §3.2)]}: missing Host and requests the decoder rejects (400),
     * timeouts (408), bodies over 1 MiB (413) and connections past {@code maxConnections} (503).
     */
    public List<String> refusals() {
        return refusals.list();
    }

    /** Stops listening, closes every connection and shuts the event loop down. */
    @Override
    public void close() {
        Lifecycle.untrack(this);
        Listeners.close(listener, channels);
    }

    @Override
    public String toString() {
        return "HttpDemoServer " + (listener == null ? "(not bound)" : uri("/")) + ", "
                + connections() + " connection(s), requests per connection " + requestsPerConnection()
                + refusals + failures + (listener == null ? "" : Listeners.exposure(address()));
    }
}

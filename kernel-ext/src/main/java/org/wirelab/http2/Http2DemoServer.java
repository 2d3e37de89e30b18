package org.wirelab.http2;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.lifecycle.Listeners;

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
 * <p>Routes (any method; every stream is answered on its own, in whatever order its answer is ready):
 * <ul>
 * <li>{@code /} lists the routes, at once;
 * <li>{@code /echo} answers the request's header fields as decoded from HPACK, and its body (at most
 *     1 MiB, else 413); the request body's DATA frames are given back to the client's window as they
 *     are read, so a body larger than 65,535 bytes waits for WINDOW_UPDATE frames (RFC 9113 §6.9);
 * <li>{@code /delay/{ms}} answers after ms milliseconds (at most 60000), scheduled on the event
 *     loop, so other streams of the same connection are answered meanwhile;
 * <li>{@code /bytes/{n}} answers n bytes (at most 1 MiB) in DATA frames of at most 16,384 bytes,
 *     paced by the client's flow-control windows (RFC 9113 §5.2, WINDOW_UPDATE);
 * <li>anything else is 404.
 * </ul>
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
    /** The longest {@code /delay/{ms}}: 60 seconds. */
    public static final int MAX_DELAY_MS = 60_000;
    /** The largest request body {@code /echo} answers: 1 MiB; larger ones get 413. */
    static final int MAX_REQUEST_BODY = 1 << 20;
    /** The largest HTTP/1.1 request (head and body) that may ask for {@code Upgrade: h2c}: 64 KiB. */
    static final int MAX_UPGRADE_REQUEST = 1 << 16;

    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final List<AtomicInteger> perConnection = new ArrayList<>();
    private volatile Channel listener;

    private Http2DemoServer() {
    }

    /** Starts on 127.0.0.1 and an ephemeral port; re-running the same notebook statement closes the previous one. */
    public static Http2DemoServer start() {
        return start(0);
    }

    /** Starts on 127.0.0.1:{@code port}, e.g. {@code 8080}; 0 is an ephemeral port. */
    public static Http2DemoServer start(int port) {
        return start(Listeners.LOOPBACK, port);
    }

    /**
     * Starts on {@code host:port}, e.g. {@code ("0.0.0.0", 9010)} inside a network namespace;
     * beyond loopback the server is reachable from other machines, and its {@code toString()} says so.
     */
    public static Http2DemoServer start(String host, int port) {
        Listeners.port(port);
        java.util.Objects.requireNonNull(host, "host");
        return Lifecycle.start("http2-demo", new Http2DemoServer(), s -> s.bind(host, port));
    }

    private void bind(String host, int port) {
        ServerBootstrap bootstrap = Listeners.serving(channels, ch -> Http2Pipeline.install(ch.pipeline(), newConnection()));
        listener = Listeners.listen(bootstrap, host, port);
    }

    /** A counter for one more accepted connection. */
    AtomicInteger newConnection() {
        AtomicInteger count = new AtomicInteger();
        synchronized (perConnection) {
            perConnection.add(count);
        }
        return count;
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

    /** Requests (streams) per connection in accept order, e.g. {@code [3]}: three streams on one connection. */
    public List<Integer> requestsPerConnection() {
        synchronized (perConnection) {
            return perConnection.stream().map(AtomicInteger::get).toList();
        }
    }

    /** Stops listening, closes every connection and shuts the event loop down. */
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

package org.wirelab.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.wirelab.http.EventLog;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.http.RecordedRequest;

/**
 * The routes of {@link Http2DemoServer} on one connection, behind Netty's frame codec. A request is
 * answered when its stream ends (END_STREAM on HEADERS or on the last DATA frame, RFC 9113 §8.1);
 * each stream is answered on its own, so answers leave in the order they are ready, not in request
 * order. Everything runs on the connection's event loop: {@code /delay}, the spacing of
 * {@code /chunked/{ms}} and the {@code /longpoll} timeout are timers on it, never sleeps, one per
 * stream at most, cancelled when the client resets the stream (RST_STREAM) or the connection closes.
 */
final class Http2Routes extends ChannelInboundHandlerAdapter implements EventLog.Subscriber {

    /** DATA frames carry at most this many bytes: SETTINGS_MAX_FRAME_SIZE's initial value (RFC 9113 §6.5.2). */
    static final int MAX_DATA = 16_384;

    static final String ROUTES = String.join("\n",
            "wirelab HTTP/2 demo server (RFC 9113, h2c)",
            "GET /             this list",
            "ANY /echo         the request's header fields (HPACK-decoded) and body",
            "GET /delay/{ms}   answers after ms milliseconds; other streams go on meanwhile",
            "GET /chunked      \"Wikipedia in\\r\\n\\r\\nchunks.\" in 3 DATA frames",
            "GET /chunked/{ms} the same 3 DATA frames, ms milliseconds apart",
            "GET /bytes/{n}    n bytes in DATA frames of at most 16384 bytes (flow control)", "")
            + HttpDemoServer.PUSH_ROUTES;

    private static final String TEXT = "text/plain; charset=US-ASCII";

    /** A request whose stream has not ended yet. */
    private static final class Request {
        final Http2Headers headers;
        final int sequence;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        long bodyBytes;

        Request(Http2Headers headers, int sequence) {
            this.headers = headers;
            this.sequence = sequence;
        }
    }

    /** A stream waiting for an event: a {@code /longpoll} (answered once) or an {@code /events} stream (open). */
    private static final class Waiting {
        final Http2FrameStream stream;
        long lastId;

        Waiting(Http2FrameStream stream, long lastId) {
            this.stream = stream;
            this.lastId = lastId;
        }
    }

    private final Http2DemoServer server;
    private final int index;
    private final AtomicInteger requests;
    private final Map<Integer, Request> open = new HashMap<>();
    private final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
    private final Set<Integer> heads = new HashSet<>();
    private final Map<Integer, Waiting> longPolls = new LinkedHashMap<>();
    private final Map<Integer, Waiting> eventStreams = new LinkedHashMap<>();
    private volatile int waitingNow;
    private ChannelHandlerContext ctx;

    Http2Routes(Http2DemoServer server, int index, AtomicInteger requests) {
        this.server = server;
        this.index = index;
        this.requests = requests;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame h) {
                headers(h);
            } else if (msg instanceof Http2DataFrame d) {
                data(d);
            } else if (msg instanceof Http2ResetFrame r) {
                forget(r.stream().id());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The client reset the stream (RST_STREAM, RFC 9113 §6.4): nothing more is sent on it. */
    private void forget(int id) {
        open.remove(id);
        heads.remove(id);
        ScheduledFuture<?> timer = timers.remove(id);
        if (timer != null) {
            timer.cancel(false);
        }
        longPolls.remove(id);
        eventStreams.remove(id);
        updateWaiting();
    }

    private void headers(Http2HeadersFrame frame) {
        Request request = open.get(frame.stream().id());
        if (request == null) {
            request = new Request(frame.headers(), requests.incrementAndGet());
            open.put(frame.stream().id(), request);
        }
        if (frame.isEndStream()) {
            answer(frame.stream(), open.remove(frame.stream().id()));
        }
    }

    private void data(Http2DataFrame frame) {
        Request request = open.get(frame.stream().id());
        int n = frame.content().readableBytes();
        if (request != null) {
            request.bodyBytes += n;
            if (request.body.size() + n <= Http2DemoServer.MAX_REQUEST_BODY) {
                byte[] chunk = new byte[n];
                frame.content().getBytes(frame.content().readerIndex(), chunk);
                request.body.writeBytes(chunk);
            }
        }
        if (frame.initialFlowControlledBytes() > 0) {
            // give the bytes back to the client's window (RFC 9113 §6.9): the codec leaves that to us
            ctx.write(new DefaultHttp2WindowUpdateFrame(frame.initialFlowControlledBytes()).stream(frame.stream()));
        }
        if (frame.isEndStream() && request != null) {
            answer(frame.stream(), open.remove(frame.stream().id()));
        } else {
            ctx.flush();
        }
    }

    private void answer(Http2FrameStream stream, Request request) {
        String path = String.valueOf(request.headers.path());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String route = path;
        Duration delay = server.config.delays.getOrDefault(path, Duration.ZERO);
        if (delay.isZero()) {
            route(stream, request, route);
        } else {
            later(stream, delay.toMillis(), () -> route(stream, request, route));
        }
        // after route(): once takeRequest() has a /longpoll or /events request, it waits for events
        server.recorded(record(request));
    }

    private RecordedRequest record(Request request) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        request.headers.forEach(e -> fields.add(Map.entry(e.getKey().toString(), e.getValue().toString())));
        return new RecordedRequest(String.valueOf(request.headers.method()), String.valueOf(request.headers.path()),
                "HTTP/2", fields, request.body.toByteArray(), index, request.sequence);
    }

    private void route(Http2FrameStream stream, Request request, String path) {
        String method = String.valueOf(request.headers.method());
        if (method.equals("HEAD")) {
            heads.add(stream.id());
        }
        if (!method.equals("GET") && !method.equals("HEAD") && !path.equals("/echo")) {
            Http2Headers allow = fields("405", TEXT).set("allow", "GET, HEAD");
            respond(stream, allow, ascii(method + " is not allowed on " + path + "\n"));
        } else if (path.equals("/")) {
            respond(stream, "200", TEXT, ascii(ROUTES));
        } else if (path.equals("/echo")) {
            if (request.bodyBytes > Http2DemoServer.MAX_REQUEST_BODY) {
                respond(stream, "413", TEXT, ascii("request body of " + request.bodyBytes + " bytes: /echo takes at most "
                        + Http2DemoServer.MAX_REQUEST_BODY + "\n"));
            } else {
                respond(stream, "200", TEXT, echo(request));
            }
        } else if (path.startsWith("/delay/")) {
            Integer ms = milliseconds(stream, "delay", path.substring("/delay/".length()));
            if (ms != null) {
                later(stream, ms, () -> respond(stream, "200", TEXT, ascii("delayed " + ms + " ms\n")));
            }
        } else if (path.equals("/chunked")) {
            chunked(stream, 0);
        } else if (path.startsWith("/chunked/")) {
            Integer ms = milliseconds(stream, "spacing", path.substring("/chunked/".length()));
            if (ms != null) {
                chunked(stream, ms);
            }
        } else if (path.startsWith("/bytes/")) {
            Integer n = number(path.substring("/bytes/".length()), Http2DemoServer.MAX_BYTES);
            if (n == null) {
                respond(stream, "400", TEXT, ascii("bad size: '" + path.substring(7) + "' is not 0.."
                        + Http2DemoServer.MAX_BYTES + " bytes\n"));
            } else {
                respond(stream, "200", TEXT, pattern(n));
            }
        } else if (path.equals("/poll")) {
            var latest = server.log.latest();
            if (latest.isEmpty()) {
                respond(stream, "204", null, new byte[0]);
            } else {
                respond(stream, "200", "text/plain; charset=UTF-8", utf8(latest.get().getValue()));
            }
        } else if (path.equals("/longpoll")) {
            longPolls.put(stream.id(), new Waiting(stream, server.log.lastId()));
            server.log.subscribe(this);
            updateWaiting();
            later(stream, server.config.longPollTimeout.toMillis(), () -> {
                if (longPolls.remove(stream.id()) != null) {
                    updateWaiting();
                    respond(stream, "204", null, new byte[0]);
                }
            });
        } else if (path.equals("/events")) {
            events(stream, EventLog.lastEventId(request.headers.get("last-event-id") == null ? null
                    : request.headers.get("last-event-id").toString()));
        } else {
            respond(stream, "404", TEXT, ascii("no route for " + path + "\n\n" + ROUTES));
        }
    }

    /** {@code text} as 0..{@link Http2DemoServer#MAX_DELAY_MS} milliseconds; otherwise answers 400 and gives null. */
    private Integer milliseconds(Http2FrameStream stream, String what, String text) {
        Integer ms = number(text, Http2DemoServer.MAX_DELAY_MS);
        if (ms == null) {
            respond(stream, "400", TEXT, ascii("bad " + what + ": '" + text + "' is not 0.."
                    + Http2DemoServer.MAX_DELAY_MS + " milliseconds\n"));
        }
        return ms;
    }

    /**
     * HEADERS without content-length (the length is not announced, as with chunked coding over
     * HTTP/1.1), then the three pieces as three DATA frames, {@code ms} apart, END_STREAM on the last.
     * HTTP/2 has no chunked coding (RFC 9113 §8.2.2): its DATA frames are the pieces.
     */
    private void chunked(Http2FrameStream stream, long ms) {
        boolean head = heads.remove(stream.id());
        ctx.write(new DefaultHttp2HeadersFrame(fields("200", TEXT), head).stream(stream));
        if (head) {
            ctx.flush();
        } else {
            drip(stream, 0, ms);
        }
    }

    private void drip(Http2FrameStream stream, int next, long ms) {
        if (!ctx.channel().isActive()) {
            return;
        }
        List<String> pieces = HttpDemoServer.CHUNKED_PIECES;
        do {
            boolean last = next == pieces.size() - 1;
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(ascii(pieces.get(next))), last).stream(stream));
            // flushed one by one: Netty's flow controller merges DATA frames queued for a stream into one
            ctx.flush();
            next++;
        } while (ms == 0 && next < pieces.size());
        if (next < pieces.size()) {
            int after = next;
            later(stream, ms, () -> drip(stream, after, ms));
        }
    }

    /** HEADERS of a text/event-stream that stays open, then every event after {@code lastId}, one DATA frame each. */
    private void events(Http2FrameStream stream, long lastId) {
        Http2Headers fields = fields("200", "text/event-stream; charset=UTF-8").set("cache-control", "no-cache");
        boolean head = heads.remove(stream.id());
        ctx.write(new DefaultHttp2HeadersFrame(fields, head).stream(stream));
        if (!head) {
            Waiting w = new Waiting(stream, lastId);
            eventStreams.put(stream.id(), w);
            server.log.subscribe(this);
            updateWaiting();
            for (Map.Entry<Long, String> e : server.log.after(lastId)) {
                send(w, e.getKey(), e.getValue());
            }
        }
        ctx.flush();
    }

    private void send(Waiting w, long id, String event) {
        w.lastId = id;
        ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(EventLog.eventStream(id, event)), false).stream(w.stream));
    }

    /** Called on the publishing thread by {@link EventLog#publish}: the work is done on the event loop. */
    @Override
    public void deliver(long id, String event) {
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            for (Waiting w : new ArrayList<>(longPolls.values())) {
                if (id > w.lastId) {
                    longPolls.remove(w.stream.id());
                    ScheduledFuture<?> timer = timers.remove(w.stream.id());
                    if (timer != null) {
                        timer.cancel(false);
                    }
                    respond(w.stream, "200", "text/plain; charset=UTF-8", utf8(event));
                }
            }
            for (Waiting w : eventStreams.values()) {
                if (id > w.lastId) {
                    send(w, id, event);
                }
            }
            updateWaiting();
            ctx.flush();
        });
    }

    @Override
    public int waitingCount() {
        return waitingNow;
    }

    private void updateWaiting() {
        waitingNow = ctx.channel().isActive() ? longPolls.size() + eventStreams.size() : 0;
    }

    /** Runs {@code task} on the event loop after {@code ms} milliseconds, unless the stream is reset first. */
    private void later(Http2FrameStream stream, long ms, Runnable task) {
        int id = stream.id();
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        timer[0] = ctx.executor().schedule(() -> {
            timers.remove(id, timer[0]);
            task.run();
        }, ms, TimeUnit.MILLISECONDS);
        timers.put(id, timer[0]);
    }

    private static Http2Headers fields(String status, String contentType) {
        Http2Headers headers = new DefaultHttp2Headers().status(status);
        if (contentType != null) {
            headers.set("content-type", contentType);
        }
        return headers;
    }

    private void respond(Http2FrameStream stream, String status, String contentType, byte[] body) {
        respond(stream, fields(status, contentType), body);
    }

    /**
     * HEADERS with content-length (none on a 204), then the body in DATA frames of at most
     * {@link #MAX_DATA} bytes, END_STREAM on the last frame; to a HEAD request HEADERS alone.
     */
    private void respond(Http2FrameStream stream, Http2Headers headers, byte[] body) {
        boolean head = heads.remove(stream.id());
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!"204".contentEquals(headers.status())) {
            headers.setInt("content-length", body.length);
        }
        boolean noData = head || body.length == 0;
        ctx.write(new DefaultHttp2HeadersFrame(headers, noData).stream(stream));
        for (int at = 0; !noData && at < body.length; at += MAX_DATA) {
            int n = Math.min(MAX_DATA, body.length - at);
            ByteBuf chunk = Unpooled.wrappedBuffer(body, at, n);
            ctx.write(new DefaultHttp2DataFrame(chunk, at + n == body.length).stream(stream));
        }
        ctx.flush();
    }

    private static byte[] echo(Request request) {
        StringBuilder out = new StringBuilder();
        request.headers.forEach(e -> out.append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        out.append('\n');
        byte[] head = ascii(out.toString());
        byte[] body = request.body.toByteArray();
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** n bytes of the repeating line "wirelab http2 ...\n", so that every DATA frame is readable text. */
    static byte[] pattern(int n) {
        byte[] line = ascii("0123456789abcdefghijklmnopqrstuvwxyz wirelab /bytes over HTTP/2 DATA frames\n");
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = line[i % line.length];
        }
        return out;
    }

    private static Integer number(String text, int max) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int n = Integer.parseInt(text);
        return n <= max ? n : null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timers.values().forEach(t -> t.cancel(false));
        timers.clear();
        longPolls.clear();
        eventStreams.clear();
        heads.clear();
        server.log.unsubscribe(this);
        updateWaiting();
        super.channelInactive(ctx);
    }
}

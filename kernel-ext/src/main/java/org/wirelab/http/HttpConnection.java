package org.wirelab.http;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.NO_CONTENT;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection of an {@link HttpDemoServer}: decides persistence, keeps pipelined responses in
 * request order (RFC 9112 §9.3.2) and runs the push endpoints. Everything runs on the
 * connection's event loop.
 */
final class HttpConnection extends SimpleChannelInboundHandler<HttpObject> implements EventLog.Subscriber {

    private static final String ROUTES = String.join("\n",
            "wirelab HTTP demo server (RFC 9112)",
            "GET /             this list",
            "ANY /echo         the request head and body as received (message/http)",
            "GET /delay/{ms}   answers after ms milliseconds",
            "GET /chunked      \"Wikipedia in\\r\\n\\r\\nchunks.\" in 3 chunks",
            "GET /chunked/{ms} the same 3 chunks, ms milliseconds apart", "")
            + HttpDemoServer.PUSH_ROUTES;

    private final HttpDemoServer server;
    private final int index;
    private final AtomicInteger requests;
    private final Map<Long, Slot> slots = new HashMap<>();
    private final List<Slot> longPolls = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private long nextSeq;
    private long head;
    private boolean closing;
    private boolean streaming;
    // the /chunked/{ms} response being written piece by piece: it holds the line until its last piece
    private Slot dripping;
    private boolean streamChunked;
    private long lastSentId;

    HttpConnection(HttpDemoServer server, int index, AtomicInteger requests) {
        this.server = server;
        this.index = index;
        this.requests = requests;
    }

    // One response waiting for its turn: the parts to write once it is at the head of the line.
    private static final class Slot {
        final long seq;
        final boolean keepAlive;
        final boolean http11;
        final boolean head;
        boolean closeDelimited;
        List<Object> parts;
        boolean stream;
        long baseline;
        ScheduledFuture<?> timer;
        long spacing;
        int next;

        Slot(long seq, boolean keepAlive, boolean http11, boolean head) {
            this.seq = seq;
            this.keepAlive = keepAlive;
            this.http11 = http11;
            this.head = head;
        }
    }

    // Bytes written beneath the HTTP encoder, for chunk framing spelled exactly as chosen.
    private record Raw(ByteBuf bytes) {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // The request being received: its head as decoded (no header added) and the body so far.
    private HttpRequest receiving;
    private CompositeByteBuf body;
    // the running head or body timeout, and what it waits for: "head" or "body"
    private ScheduledFuture<?> deadline;
    private String awaiting;

    // Sits before the codec: the first byte of a request head starts the head timeout.
    ChannelInboundHandlerAdapter arrival() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buf && buf.isReadable() && deadline == null && receiving == null && !closing) {
                    startDeadline("head", server.config.headTimeout);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void startDeadline(String what, Duration timeout) {
        cancelDeadline();
        awaiting = what;
        deadline = ctx.executor().schedule(() -> timedOut(what, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    // RFC 9110 §15.5.9: 408 in its turn after earlier pipelined responses, then close.
    private void timedOut(String what, Duration timeout) {
        deadline = null;
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        String detail = "request " + what + " incomplete after " + timeout.toMillis() + " ms";
        if (what.equals("body") && receiving != null && body != null) {
            long declared = HttpUtil.getContentLength(receiving, -1L);
            detail += " (" + body.readableBytes() + (declared >= 0 ? " of " + declared : "") + " body bytes received)";
        }
        discardBody();
        closing = true;
        ctx.channel().config().setAutoRead(false);
        server.refused("connection " + index + ": 408, " + detail);
        long seq = nextSeq++;
        Slot slot = new Slot(seq, false, true, false);
        slots.put(seq, slot);
        complete(seq, slot, fixed(slot, HttpResponseStatus.REQUEST_TIMEOUT, "text/plain; charset=US-ASCII",
                detail + "\n"));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpRequest request) {
            discardBody();
            cancelDeadline();
            if (request.decoderResult().isFailure()) {
                dispatch(failed(request, request.decoderResult()));
                return;
            }
            receiving = request;
            body = ctx.alloc().compositeBuffer();
            if (!closing) {
                startDeadline("body", server.config.bodyTimeout);
            }
            if (HttpUtil.is100ContinueExpected(request) && slots.isEmpty() && !closing) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
        }
        if (msg instanceof HttpContent content && receiving != null) {
            if (content.decoderResult().isFailure()) {
                HttpRequest request = receiving;
                discardBody();
                dispatch(failed(request, content.decoderResult()));
                return;
            }
            if (body.readableBytes() + content.content().readableBytes() > HttpDemoServer.MAX_CONTENT) {
                discardBody();
                closing = true;
                cancelDeadline();
                // RFC 9110 §15.5.14: 413, and the connection closes (the rest of the body is not read)
                byte[] text = ("request body over " + HttpDemoServer.MAX_CONTENT + " bytes\n")
                        .getBytes(StandardCharsets.US_ASCII);
                FullHttpResponse tooLarge = new DefaultFullHttpResponse(HTTP_1_1,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(text));
                tooLarge.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=US-ASCII");
                tooLarge.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
                tooLarge.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                server.refused("connection " + index + ": 413, request body over " + HttpDemoServer.MAX_CONTENT
                        + " bytes");
                ctx.writeAndFlush(tooLarge).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            body.addComponent(true, content.content().retain());
            if (content instanceof LastHttpContent) {
                cancelDeadline();
                HttpRequest request = receiving;
                FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                        request.uri(), body, request.headers(), EmptyHttpHeaders.INSTANCE);
                receiving = null;
                body = null;
                try {
                    dispatch(full);
                } finally {
                    full.release();
                }
            }
        }
    }

    private static FullHttpRequest failed(HttpRequest request, io.netty.handler.codec.DecoderResult result) {
        FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        full.setDecoderResult(result);
        return full;
    }

    private void discardBody() {
        if (body != null) {
            body.release();
            body = null;
        }
        receiving = null;
    }

    private void dispatch(FullHttpRequest request) {
        if (closing) {
            return; // after Connection: close (or during a stream) later requests are not answered
        }
        long seq = nextSeq++;
        int number = requests.incrementAndGet();
        if (request.decoderResult().isFailure()) {
            closing = true;
            Slot slot = new Slot(seq, false, true, false);
            slots.put(seq, slot);
            Throwable cause = request.decoderResult().cause();
            String why = cause == null ? "cannot parse" : cause.getMessage();
            server.refused("connection " + index + ", request " + number + ": 400, " + why);
            complete(seq, slot, fixed(slot, BAD_REQUEST, "text/plain; charset=US-ASCII", "bad request: " + why + "\n"));
            return;
        }
        HttpVersion version = request.protocolVersion();
        boolean http11 = version.majorVersion() == 1 && version.minorVersion() >= 1;
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        if (http11 && hosts != 1) {
            // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without exactly one Host.
            closing = true;
            String why = hosts == 0 ? "HTTP/1.1 request without Host" : "HTTP/1.1 request with " + hosts + " Host fields";
            server.refused("connection " + index + ", request " + number + ": 400, " + why + " (RFC 9112 §3.2)");
            Slot slot = new Slot(seq, false, true, request.method().equals(HttpMethod.HEAD));
            slots.put(seq, slot);
            complete(seq, slot, fixed(slot, BAD_REQUEST, "text/plain; charset=US-ASCII",
                    "bad request: " + why + " (RFC 9112 section 3.2)\n"));
            return;
        }
        boolean keepAlive = server.config.keepAlive && HttpUtil.isKeepAlive(request);
        if (!keepAlive) {
            closing = true;
        }
        Slot slot = new Slot(seq, keepAlive, http11, request.method().equals(HttpMethod.HEAD));
        slots.put(seq, slot);
        RecordedRequest recorded = record(request, number);
        String path = new QueryStringDecoder(request.uri()).path();
        Duration delay = server.config.delays.getOrDefault(path, Duration.ZERO);
        route(seq, slot, request, recorded, path, delay);
        server.recorded(recorded);
    }

    private RecordedRequest record(FullHttpRequest request, int number) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        request.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
        return new RecordedRequest(request.method().name(), request.uri(), request.protocolVersion().text(),
                headers, ByteBufUtil.getBytes(request.content()), index, number);
    }

    private void route(long seq, Slot slot, FullHttpRequest request, RecordedRequest recorded, String path,
            Duration delay) {
        boolean getOrHead = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        if (!getOrHead && !path.equals("/echo")) {
            List<Object> parts = fixed(slot, METHOD_NOT_ALLOWED, "text/plain; charset=US-ASCII",
                    request.method() + " is not allowed on " + path + "\n");
            ((HttpResponse) parts.get(0)).headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            later(seq, slot, parts, delay);
            return;
        }
        if (path.equals("/")) {
            later(seq, slot, fixed(slot, OK, "text/plain; charset=US-ASCII", ROUTES), delay);
        } else if (path.equals("/echo")) {
            later(seq, slot, fixed(slot, OK, "message/http", recorded.bytes()), delay);
        } else if (path.startsWith("/delay/")) {
            String ms = path.substring("/delay/".length());
            long millis = millis(ms);
            if (millis < 0) {
                later(seq, slot, fixed(slot, BAD_REQUEST, "text/plain; charset=US-ASCII",
                        "bad delay: '" + ms + "' is not 0..60000 milliseconds\n"), delay);
            } else {
                later(seq, slot, fixed(slot, OK, "text/plain; charset=US-ASCII", "delayed " + millis + " ms\n"),
                        delay.plusMillis(millis));
            }
        } else if (path.equals("/chunked") || path.startsWith("/chunked/")) {
            String ms = path.equals("/chunked") ? "0" : path.substring("/chunked/".length());
            slot.spacing = millis(ms);
            if (slot.spacing < 0) {
                later(seq, slot, fixed(slot, BAD_REQUEST, "text/plain; charset=US-ASCII",
                        "bad spacing: '" + ms + "' is not 0..60000 milliseconds\n"), delay);
                return;
            }
            if (!slot.http11) {
                slot.closeDelimited = true;
                closing = true;
            }
            later(seq, slot, chunked(slot), delay);
        } else if (path.equals("/poll")) {
            Map.Entry<Long, String> latest = server.log.latest().orElse(null);
            later(seq, slot, latest == null ? fixed(slot, NO_CONTENT, null, new byte[0])
                    : fixed(slot, OK, "text/plain; charset=UTF-8", latest.getValue().getBytes(StandardCharsets.UTF_8)),
                    delay);
        } else if (path.equals("/longpoll")) {
            slot.baseline = server.log.lastId();
            longPolls.add(slot);
            server.log.subscribe(this);
            updateWaiting();
            slot.timer = ctx.executor().schedule(() -> {
                if (longPolls.remove(slot)) {
                    updateWaiting();
                    complete(seq, slot, fixed(slot, NO_CONTENT, null, new byte[0]));
                }
            }, server.config.longPollTimeout.toNanos(), TimeUnit.NANOSECONDS);
            slot.parts = null;
        } else if (path.equals("/events")) {
            closing = true; // a stream never ends, so nothing after it can be answered
            slot.stream = true;
            slot.baseline = EventLog.lastEventId(request.headers().get("Last-Event-ID"));
            later(seq, slot, sseHead(slot), delay);
        } else {
            later(seq, slot, fixed(slot, NOT_FOUND, "text/plain; charset=US-ASCII", "no route for " + path + "\n"),
                    delay);
        }
    }

    // 0..60000 milliseconds, or -1 for anything else
    private static long millis(String text) {
        try {
            long ms = Long.parseLong(text);
            return ms >= 0 && ms <= 60_000 ? ms : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void later(long seq, Slot slot, List<Object> parts, Duration delay) {
        if (delay.isZero()) {
            complete(seq, slot, parts);
        } else {
            ctx.executor().schedule(() -> complete(seq, slot, parts), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void complete(long seq, Slot slot, List<Object> parts) {
        slot.parts = parts;
        drain();
    }

    // Writes every finished response at the head of the line, in request order.
    private void drain() {
        boolean wrote = false;
        while (!streaming && dripping == null) {
            Slot slot = slots.get(head);
            if (slot == null || slot.parts == null) {
                break;
            }
            slots.remove(head);
            head++;
            if (slot.spacing > 0 && !slot.head) {
                // /chunked/{ms}: the head and the first piece now, each later piece ms after the one before
                dripping = slot;
                write(slot.parts.get(0));
                write(slot.parts.get(1));
                slot.next = 2;
                ctx.flush();
                slot.timer = ctx.executor().schedule(() -> drip(slot), slot.spacing, TimeUnit.MILLISECONDS);
                return;
            }
            for (Object part : slot.parts) {
                write(part);
            }
            wrote = true;
            if (slot.stream) {
                streaming = true;
                streamChunked = slot.http11 && !slot.head;
                if (slot.head) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                lastSentId = slot.baseline;
                server.log.subscribe(this);
                updateWaiting();
                for (Map.Entry<Long, String> e : server.log.after(lastSentId)) {
                    sendEvent(e.getKey(), e.getValue());
                }
            } else if (!slot.keepAlive || slot.closeDelimited) {
                ctx.flush();
                ctx.close();
                slots.clear();
                return;
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void write(Object part) {
        if (part instanceof Raw raw) {
            ctx.pipeline().context("codec").write(raw.bytes());
        } else {
            ctx.write(part);
        }
    }

    // The next piece of the /chunked/{ms} response; the last goes with the end of the body, then the line moves on.
    private void drip(Slot slot) {
        slot.timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        write(slot.parts.get(slot.next++));
        if (slot.next < slot.parts.size() - 1) {
            ctx.flush();
            slot.timer = ctx.executor().schedule(() -> drip(slot), slot.spacing, TimeUnit.MILLISECONDS);
            return;
        }
        write(slot.parts.get(slot.next++));
        dripping = null;
        if (!slot.keepAlive || slot.closeDelimited) {
            ctx.flush();
            ctx.close();
            slots.clear();
            return;
        }
        ctx.flush();
        drain();
    }

    // Called from any thread by HttpDemoServer.publish.
    @Override
    public void deliver(long id, String event) {
        ctx.executor().execute(() -> {
            if (!longPolls.isEmpty()) {
                for (Slot slot : new ArrayList<>(longPolls)) {
                    if (id > slot.baseline) {
                        longPolls.remove(slot);
                        updateWaiting();
                        slot.timer.cancel(false);
                        complete(slot.seq, slot,
                                fixed(slot, OK, "text/plain; charset=UTF-8", event.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            if (streaming && id > lastSentId && ctx.channel().isActive()) {
                sendEvent(id, event);
                ctx.flush();
            }
        });
    }

    @Override
    public int waitingCount() {
        return waitingNow;
    }

    // Read by other threads through HttpDemoServer.waiting().
    private volatile int waitingNow;

    private void updateWaiting() {
        waitingNow = longPolls.size() + (streaming && ctx.channel().isActive() ? 1 : 0);
    }

    // text/event-stream framing (HTML Living Standard §9.2): one data: line per line of the event.
    private void sendEvent(long id, String event) {
        lastSentId = id;
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(EventLog.eventStream(id, event))));
    }

    private List<Object> fixed(Slot slot, HttpResponseStatus status, String contentType, String body) {
        return fixed(slot, status, contentType, body.getBytes(StandardCharsets.US_ASCII));
    }

    private List<Object> fixed(Slot slot, HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HTTP_1_1, status,
                slot.head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (status.code() != 204) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        persistence(slot, response);
        List<Object> parts = new ArrayList<>();
        parts.add(response);
        return parts;
    }

    private List<Object> chunked(Slot slot) {
        List<Object> parts = new ArrayList<>();
        HttpResponse response = new DefaultHttpResponse(HTTP_1_1, OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=US-ASCII");
        boolean chunked = slot.http11;
        if (chunked) {
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        persistence(slot, response);
        if (!chunked) {
            // RFC 9112 §6.1: no chunked coding to an HTTP/1.0 client; the close ends the body.
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        parts.add(response);
        if (!slot.head) {
            for (String piece : HttpDemoServer.CHUNKED_PIECES) {
                if (chunked) {
                    // Netty's encoder spells chunk sizes in lower case; written here as in the
                    // well-known example (4, 5, E). RFC 9112 §7.1 allows either case.
                    String framed = Integer.toHexString(piece.length()).toUpperCase(Locale.ROOT) + "\r\n" + piece + "\r\n";
                    parts.add(new Raw(Unpooled.copiedBuffer(framed, StandardCharsets.US_ASCII)));
                } else {
                    parts.add(new DefaultHttpContent(Unpooled.copiedBuffer(piece, StandardCharsets.US_ASCII)));
                }
            }
        }
        parts.add(LastHttpContent.EMPTY_LAST_CONTENT);
        return parts;
    }

    private List<Object> sseHead(Slot slot) {
        HttpResponse response = new DefaultHttpResponse(HTTP_1_1, OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        if (slot.http11) {
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        List<Object> parts = new ArrayList<>();
        parts.add(response);
        return parts;
    }

    // Connection header per RFC 9112 §9.6 (close) and the HTTP/1.0 keep-alive convention (§C.2.2).
    private static void persistence(Slot slot, HttpResponse response) {
        if (!slot.keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!slot.http11) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        discardBody();
        server.log.unsubscribe(this);
        for (Slot slot : longPolls) {
            slot.timer.cancel(false);
        }
        longPolls.clear();
        streaming = false;
        if (dripping != null) {
            if (dripping.timer != null) {
                dripping.timer.cancel(false);
            }
            release(dripping.parts.subList(dripping.next, dripping.parts.size()));
            dripping = null;
        }
        updateWaiting();
        for (Slot slot : slots.values()) {
            release(slot.parts);
        }
        slots.clear();
        ctx.fireChannelInactive();
    }

    private static void release(List<Object> parts) {
        if (parts != null) {
            for (Object part : parts) {
                if (part instanceof Raw raw) {
                    raw.bytes().release();
                } else {
                    io.netty.util.ReferenceCountUtil.release(part);
                }
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        server.failures.add(ctx.channel(), cause);
        ctx.close();
    }
}

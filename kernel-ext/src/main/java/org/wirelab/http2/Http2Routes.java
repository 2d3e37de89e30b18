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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The routes of {@link Http2DemoServer} on one connection, behind Netty's frame codec. A request is
 * answered when its stream ends (END_STREAM on HEADERS or on the last DATA frame, RFC 9113 §8.1);
 * each stream is answered on its own, so answers leave in the order they are ready, not in request
 * order. Everything runs on the connection's event loop; {@code /delay} is a timer on it, never a sleep.
 */
final class Http2Routes extends ChannelInboundHandlerAdapter {

    /** DATA frames carry at most this many bytes: SETTINGS_MAX_FRAME_SIZE's initial value (RFC 9113 §6.5.2). */
    static final int MAX_DATA = 16_384;

    static final String ROUTES = String.join("\n",
            "wirelab HTTP/2 demo server (RFC 9113, h2c)",
            "GET /             this list",
            "ANY /echo         the request's header fields (HPACK-decoded) and body",
            "GET /delay/{ms}   answers after ms milliseconds; other streams go on meanwhile",
            "GET /bytes/{n}    n bytes in DATA frames of at most 16384 bytes (flow control)", "");

    /** A request whose stream has not ended yet. */
    private static final class Request {
        final Http2Headers headers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        long bodyBytes;

        Request(Http2Headers headers) {
            this.headers = headers;
        }
    }

    private final AtomicInteger requests;
    private final Map<Integer, Request> open = new HashMap<>();
    private final Set<ScheduledFuture<?>> timers = new HashSet<>();

    Http2Routes(AtomicInteger requests) {
        this.requests = requests;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame h) {
                headers(ctx, h);
            } else if (msg instanceof Http2DataFrame d) {
                data(ctx, d);
            } else if (msg instanceof Http2ResetFrame r) {
                open.remove(r.stream().id());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void headers(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Request request = open.get(frame.stream().id());
        if (request == null) {
            requests.incrementAndGet();
            request = new Request(frame.headers());
            open.put(frame.stream().id(), request);
        }
        if (frame.isEndStream()) {
            answer(ctx, frame.stream(), open.remove(frame.stream().id()));
        }
    }

    private void data(ChannelHandlerContext ctx, Http2DataFrame frame) {
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
            answer(ctx, frame.stream(), open.remove(frame.stream().id()));
        } else {
            ctx.flush();
        }
    }

    private void answer(ChannelHandlerContext ctx, Http2FrameStream stream, Request request) {
        String path = String.valueOf(request.headers.path());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals("/")) {
            respond(ctx, stream, "200", ascii(ROUTES));
        } else if (path.equals("/echo")) {
            if (request.bodyBytes > Http2DemoServer.MAX_REQUEST_BODY) {
                respond(ctx, stream, "413", ascii("request body of " + request.bodyBytes + " bytes: /echo takes at most "
                        + Http2DemoServer.MAX_REQUEST_BODY + "\n"));
            } else {
                respond(ctx, stream, "200", echo(request));
            }
        } else if (path.startsWith("/delay/")) {
            Integer ms = number(path.substring("/delay/".length()), Http2DemoServer.MAX_DELAY_MS);
            if (ms == null) {
                respond(ctx, stream, "400", ascii("bad delay: '" + path.substring(7) + "' is not 0.."
                        + Http2DemoServer.MAX_DELAY_MS + " milliseconds\n"));
            } else {
                ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
                timer[0] = ctx.executor().schedule(() -> {
                    timers.remove(timer[0]);
                    respond(ctx, stream, "200", ascii("delayed " + ms + " ms\n"));
                }, ms, TimeUnit.MILLISECONDS);
                timers.add(timer[0]);
            }
        } else if (path.startsWith("/bytes/")) {
            Integer n = number(path.substring("/bytes/".length()), Http2DemoServer.MAX_BYTES);
            if (n == null) {
                respond(ctx, stream, "400", ascii("bad size: '" + path.substring(7) + "' is not 0.."
                        + Http2DemoServer.MAX_BYTES + " bytes\n"));
            } else {
                respond(ctx, stream, "200", pattern(n));
            }
        } else {
            respond(ctx, stream, "404", ascii("no route " + path + "\n\n" + ROUTES));
        }
    }

    /** HEADERS, then the body in DATA frames of at most {@link #MAX_DATA} bytes, END_STREAM on the last frame. */
    private static void respond(ChannelHandlerContext ctx, Http2FrameStream stream, String status, byte[] body) {
        if (!ctx.channel().isActive()) {
            return;
        }
        Http2Headers headers = new DefaultHttp2Headers().status(status)
                .set("content-type", "text/plain; charset=US-ASCII")
                .setInt("content-length", body.length);
        ctx.write(new DefaultHttp2HeadersFrame(headers, body.length == 0).stream(stream));
        for (int at = 0; at < body.length; at += MAX_DATA) {
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        super.channelInactive(ctx);
    }
}

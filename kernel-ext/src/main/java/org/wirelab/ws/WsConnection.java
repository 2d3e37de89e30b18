package org.wirelab.ws;

import org.wirelab.dissect.Opcode;
import org.wirelab.dissect.WebSocketMessage;
import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.UPGRADE_REQUIRED;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One connection of a {@link WebSocketDemoServer}: checks the opening handshake (RFC 6455
 * §4.2.1), then reassembles messages, answers pings and runs the closing handshake (§7).
 */
final class WsConnection extends ChannelInboundHandlerAdapter {

    private static final int MAX_MESSAGE = 1 << 20;

    private final WebSocketDemoServer server;
    private final int client;
    private volatile ChannelHandlerContext ctx;
    private volatile boolean upgraded;
    private WebSocketServerHandshaker handshaker;
    private boolean closeSent;
    private Opcode assembling;
    private ByteArrayOutputStream parts;
    private int frames;

    WsConnection(WebSocketDemoServer server, int client) {
        this.server = server;
        this.client = client;
    }

    boolean upgraded() {
        return upgraded && ctx.channel().isActive();
    }

    void run(Runnable task) {
        ctx.executor().execute(task);
    }

    // Runs on the event loop (via run).
    void send(WebSocketFrame frame) {
        if (closeSent || !ctx.channel().isActive()) {
            frame.release();
            return;
        }
        ctx.writeAndFlush(frame);
    }

    void startClose(int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
        ctx.executor().schedule(() -> {
            ctx.close();
        }, org.wirelab.lifecycle.Lifecycle.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        server.open.add(this);
        long timeout = server.config.handshakeTimeout.toMillis();
        handshakeDeadline = ctx.executor().schedule(() -> {
            if (!upgraded && ctx.channel().isActive()) {
                reject(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "opening handshake incomplete after " + timeout + " ms");
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    // 408 unless the opening handshake is done within handshakeTimeout of the connection
    private io.netty.util.concurrent.ScheduledFuture<?> handshakeDeadline;

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handshakeDeadline.cancel(false);
        server.open.remove(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpRequest request) {
                handshake(ctx, request);
            } else if (msg instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (upgraded) {
            return;
        }
        if (request.decoderResult().isFailure()) {
            reject(ctx, BAD_REQUEST, "bad request: " + request.decoderResult().cause().getMessage());
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals(server.config.path)) {
            reject(ctx, NOT_FOUND, "no WebSocket endpoint at " + path + "; it is at " + server.config.path);
            return;
        }
        String problem = problem(request);
        if (problem != null) {
            reject(ctx, BAD_REQUEST, "not a WebSocket request: " + problem);
            return;
        }
        String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (version == null || !version.trim().equals("13")) {
            FullHttpResponse response = response(UPGRADE_REQUIRED, version == null
                    ? "missing Sec-WebSocket-Version; this server speaks 13 (RFC 6455 §4.4)"
                    : "unsupported Sec-WebSocket-Version: " + version + "; this server speaks 13 (RFC 6455 §4.4)");
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            server.refused("connection " + client + ": 426, " + response.content().toString(StandardCharsets.UTF_8).strip());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(server.config.maxFramePayload)
                .allowExtensions(false)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                // a frame the decoder rejects comes to exceptionCaught, which lists it and sends the close frame
                .closeOnProtocolViolation(false)
                .build();
        String subprotocols = server.config.subprotocols.isEmpty() ? null
                : String.join(",", server.config.subprotocols);
        handshaker = new WebSocketServerHandshakerFactory(server.uri().toString(), subprotocols, decoder)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        // RFC 6455 §4.2.2: the server counts the connection OPEN once it sends its 101, so it is
        // counted before the first byte of that response can reach the client.
        upgraded = true;
        handshakeDeadline.cancel(false);
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }

    // RFC 6455 §4.2.1: what the opening handshake must contain, in the RFC's order.
    private static String problem(FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.GET)) {
            return "method must be GET, was " + request.method();
        }
        if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
            return "HTTP/1.1 or higher required, was " + request.protocolVersion();
        }
        if (request.headers().get(HttpHeaderNames.HOST) == null) {
            return "missing Host";
        }
        if (!hasToken(request, HttpHeaderNames.UPGRADE, "websocket")) {
            return "missing Upgrade: websocket";
        }
        if (!hasToken(request, HttpHeaderNames.CONNECTION, "upgrade")) {
            return "missing Connection: Upgrade";
        }
        String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null) {
            return "missing Sec-WebSocket-Key";
        }
        byte[] nonce;
        try {
            nonce = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            nonce = new byte[0];
        }
        if (nonce.length != 16) {
            return "Sec-WebSocket-Key must be 16 bytes in base64, was '" + key + "'";
        }
        return null;
    }

    private static boolean hasToken(FullHttpRequest request, CharSequence header, String token) {
        for (String value : request.headers().getAll(header)) {
            for (String t : value.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        server.refused("connection " + client + ": " + status.code() + ", " + body);
        ctx.writeAndFlush(response(status, body)).addListener(ChannelFutureListener.CLOSE);
    }

    private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame) {
            // §5.5.2: answer with a pong carrying the same application data.
            if (!closeSent) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            }
        } else if (frame instanceof PongWebSocketFrame) {
            server.received(new WebSocketMessage(Opcode.PONG, ByteBufUtil.getBytes(frame.content()), 1));
        } else if (frame instanceof CloseWebSocketFrame close) {
            if (closeSent) {
                ctx.close(); // §7.1.1: both close frames exchanged, the server closes TCP first
            } else {
                closeSent = true;
                int code = close.statusCode();
                CloseWebSocketFrame reply = code < 0 ? new CloseWebSocketFrame()
                        : new CloseWebSocketFrame(code, "");
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            }
        } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            if (assembling != null) {
                fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "a new data frame arrived before the fragmented message ended (RFC 6455 §5.4)");
                return;
            }
            assembling = frame instanceof TextWebSocketFrame ? Opcode.TEXT : Opcode.BINARY;
            parts = new ByteArrayOutputStream();
            frames = 0;
            append(ctx, frame);
        } else if (frame instanceof ContinuationWebSocketFrame) {
            if (assembling == null) {
                fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR,
                        "continuation frame without a message to continue (RFC 6455 §5.4)");
                return;
            }
            append(ctx, frame);
        }
    }

    private void append(ChannelHandlerContext ctx, WebSocketFrame frame) {
        ByteBuf content = frame.content();
        if (parts.size() + content.readableBytes() > MAX_MESSAGE) {
            fail(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, WebSocketCloseStatus.MESSAGE_TOO_BIG.reasonText());
            return;
        }
        frames++;
        parts.writeBytes(ByteBufUtil.getBytes(content));
        if (!frame.isFinalFragment()) {
            return;
        }
        byte[] bytes = parts.toByteArray();
        Opcode type = assembling;
        assembling = null;
        parts = null;
        if (type == Opcode.TEXT && !validUtf8(bytes)) {
            // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007
            fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, WebSocketCloseStatus.INVALID_PAYLOAD_DATA.reasonText());
            return;
        }
        server.received(new WebSocketMessage(type, bytes, frames));
        if (server.config.echo && !closeSent) {
            ctx.writeAndFlush(type == Opcode.TEXT
                    ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
                    : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        }
    }

    // RFC 6455 §7.1.7, fail the WebSocket connection: listed in refusals(), then a close frame saying
    // why (the reason cut to the 123 bytes §5.5 leaves it), then TCP closes.
    private void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        assembling = null;
        parts = null;
        if (closeSent) {
            ctx.close(); // our close frame is already out: no second one
            return;
        }
        closeSent = true;
        String text = reason.length() > 123 ? reason.substring(0, 123) : reason;
        server.refused("connection " + client + ": close " + status.code() + ", " + text);
        ctx.writeAndFlush(new CloseWebSocketFrame(status, text)).addListener(ChannelFutureListener.CLOSE);
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException bad) {
            // the frame decoder rejected a frame (unmasked, reserved opcode or RSV bit, bad control
            // frame, stray continuation, over maxFramePayload): the peer's fault, not the server's
            String reason = bad.getMessage() == null ? bad.closeStatus().reasonText() : bad.getMessage();
            fail(ctx, bad.closeStatus(), reason);
            return;
        }
        server.failures.add(ctx.channel(), cause);
        ctx.close();
    }
}

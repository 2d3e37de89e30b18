package org.wirelab.http2;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handlers of one h2c connection: a first look at the bytes decides between the connection
 * preface (prior knowledge, RFC 9113 §3.3) and an HTTP/1.1 request, which upgrades when it says
 * {@code Upgrade: h2c} (RFC 7540 §3.2; RFC 9113 §3.1 deprecates it, the JDK client still uses it)
 * and gets 426 otherwise. Either way the connection ends up as Netty's frame codec plus {@link Http2Routes}.
 */
final class Http2Pipeline {

    /** What the server announces in its SETTINGS frame: at most 100 concurrent streams (RFC 9113 §6.5.2). */
    static final long MAX_CONCURRENT_STREAMS = 100;

    private Http2Pipeline() {
    }

    static void install(ChannelPipeline pipeline, Http2DemoServer server) {
        var connection = server.newConnection();
        int index = connection.getKey();
        AtomicInteger requests = connection.getValue();
        HttpServerCodec http1 = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(frameCodec(), new Http2Routes(server, index, requests)) : null,
                Http2DemoServer.MAX_UPGRADE_REQUEST);
        ChannelInitializer<Channel> priorKnowledge = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(frameCodec(), new Http2Routes(server, index, requests));
            }
        };
        pipeline.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(http1, upgrade, priorKnowledge));
        pipeline.addLast("no-upgrade", new UpgradeRequired());
    }

    static Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .build();
    }

    /** An HTTP/1.1 request that did not ask for h2c: 426 naming the upgrade, then close. */
    static final class UpgradeRequired extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest) {
                byte[] body = ("this server speaks HTTP/2 only: send the connection preface (prior knowledge)"
                        + " or an HTTP/1.1 request with Upgrade: h2c and HTTP2-Settings (RFC 9113 §3)\n")
                        .getBytes(StandardCharsets.US_ASCII);
                var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UPGRADE_REQUIRED,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.UPGRADE, "h2c")
                        .set(HttpHeaderNames.CONNECTION, "Upgrade, close")
                        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=US-ASCII")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}

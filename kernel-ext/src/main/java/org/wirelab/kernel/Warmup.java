package org.wirelab.kernel;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import org.wirelab.display.Rich;
import org.wirelab.display.WirelabCss;
import org.wirelab.dissect.Dissect;
import org.wirelab.hex.HexView;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.tap.Tap;
import org.wirelab.tcp.TcpEchoServer;
import org.wirelab.wire.Direction;
import org.wirelab.ws.WebSocketDemoServer;

/**
 * The training run of {@code ./lab}'s class-data archive: what the first cells of the notebooks
 * use, once, in a kernel started with {@code -XX:ArchiveClassesAtExit}, so that the classes it
 * loads (JShell's compiler, Netty, {@code java.net.http}, the views) are mapped from the archive
 * by every later kernel instead of being read and verified again. Everything it starts is closed
 * before it returns.
 */
public final class Warmup {

    private Warmup() {
    }

    /** Runs a TCP echo, an HTTP request and a WebSocket message through taps; returns a hex view. */
    public static Rich run() throws IOException, InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        WirelabCss.stylesheet().mimeBundle();
        byte[] echoed;
        try (var echo = TcpEchoServer.start(); var tap = Tap.to(echo.address());
                var socket = new Socket("127.0.0.1", tap.port())) {
            socket.getOutputStream().write("warm\n".getBytes());
            echoed = socket.getInputStream().readNBytes(5);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (var http = HttpDemoServer.start(); var tap = Tap.to(http.address())) {
            client.send(HttpRequest.newBuilder(tap.uri("http", "/")).build(), HttpResponse.BodyHandlers.ofString());
            HexView.of(Dissect.http(tap.recording().connection(1).stream(Direction.CLIENT_TO_SERVER))).mimeBundle();
        }
        try (var ws = WebSocketDemoServer.start(); var tap = Tap.to(ws.address())) {
            URI uri = tap.uri("ws", "/ws");
            WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                    .get(30, TimeUnit.SECONDS);
            socket.sendText("warm", true).get(30, TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(30, TimeUnit.SECONDS);
        }
        return HexView.of(echoed);
    }
}

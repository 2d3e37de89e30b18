package org.wirelab.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionFailureTest {

    @Test
    void aFailureInsideTheHandlerIsShownByTheServerAndClosesTheConnection() {
        try (WebSocketDemoServer server = WebSocketDemoServer.start()) {
            EmbeddedChannel ch = new EmbeddedChannel(new WsConnection(server, 1));
            ch.pipeline().fireExceptionCaught(new IllegalStateException("handler bug"));
            assertFalse(ch.isOpen());
            assertTrue(server.toString().endsWith(", 1 failure: embedded java.lang.IllegalStateException: handler bug"),
                    server.toString());
        }
    }
}

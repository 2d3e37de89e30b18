package org.wirelab.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionFailureTest {

    @Test
    void aFailureInsideTheHandlerIsShownByTheServerAndClosesTheConnection() {
        try (HttpDemoServer server = HttpDemoServer.start()) {
            EmbeddedChannel ch = new EmbeddedChannel(new HttpConnection(server, 1, new AtomicInteger()));
            ch.pipeline().fireExceptionCaught(new IllegalStateException("handler bug"));
            assertFalse(ch.isOpen());
            assertTrue(server.toString().endsWith(", 1 failure: embedded java.lang.IllegalStateException: handler bug"),
                    server.toString());
        }
    }
}

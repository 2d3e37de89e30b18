package org.wirelab.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EchoFailureTest {

    @Test
    void aFailureInsideTheHandlerIsShownByTheServerAndClosesTheConnection() {
        try (TcpEchoServer server = TcpEchoServer.start()) {
            EmbeddedChannel ch = new EmbeddedChannel(server.new Echo());
            ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
            assertFalse(ch.isOpen());
            assertEquals(1, server.failures.count());
            assertTrue(server.toString().endsWith(", 1 failure: embedded java.io.IOException: Connection reset by peer"),
                    server.toString());
        }
    }
}

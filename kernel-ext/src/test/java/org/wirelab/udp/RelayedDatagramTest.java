package org.wirelab.udp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.wire.Direction;

class RelayedDatagramTest {

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    @Test
    void describesDirectionFateAndPayload() throws Exception {
        try (var echo = UdpEchoServer.start(); var relay = UdpRelay.newBuilder(echo.address()).dropEvery(2).start();
                var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            for (String text : List.of("a\n", "b")) {
                byte[] b = text.getBytes(US_ASCII);
                socket.send(new DatagramPacket(b, b.length, relay.address()));
            }
            UdpEchoServerTest.receive(socket);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (relay.datagrams().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<RelayedDatagram> all = relay.datagrams();
            RelayedDatagram first = all.get(0);
            assertEquals(Direction.CLIENT_TO_SERVER, first.direction());
            assertTrue(first.toString().matches("#1 client → server \\+\\d+\\.\\d ms 2 bytes FORWARDED \"a\\\\n\""),
                    first.toString());
            RelayedDatagram dropped = all.stream().filter(d -> d.fate() == RelayedDatagram.Fate.DROPPED).findFirst()
                    .orElseThrow();
            assertEquals(2, dropped.seq());
            assertEquals("62", dropped.hex());
            String html = (String) relay.mimeBundle().get(MimeBundle.HTML);
            assertTrue(html.contains("<td>DROPPED</td><td><code>62</code></td>"), html);
        }
    }
}

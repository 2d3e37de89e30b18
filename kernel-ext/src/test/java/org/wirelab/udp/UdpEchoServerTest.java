package org.wirelab.udp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.testing.ProcessResources;

class UdpEchoServerTest {

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        socket.receive(in);
        return new String(in.getData(), 0, in.getLength(), US_ASCII);
    }

    @Test
    void echoesEachDatagramAsOneDatagram() throws IOException {
        try (var echo = UdpEchoServer.start(); var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            for (String payload : new String[] {"one", "two two", ""}) {
                byte[] b = payload.getBytes(US_ASCII);
                socket.send(new DatagramPacket(b, b.length, echo.address()));
            }
            assertEquals("one", receive(socket));
            assertEquals("two two", receive(socket));
            assertEquals("", receive(socket), "an empty datagram is a datagram too");
            assertEquals(3, echo.datagramCount());
        }
    }

    @Test
    void reRunReplacesPreviousServer() throws IOException {
        UdpEchoServer.start().close();
        ProcessResources before = ProcessResources.now();
        for (int i = 0; i < 20; i++) {
            var echo = UdpEchoServer.start();
            try (var socket = new DatagramSocket()) {
                socket.setSoTimeout(5000);
                socket.send(new DatagramPacket(new byte[] {'x'}, 1, echo.address()));
                assertEquals("x", receive(socket));
            }
        }
        assertEquals(1, Lifecycle.openCount());
        Lifecycle.closeAll();
        ProcessResources.assertBackTo(before);
    }
}

package org.wirelab.tap;

import org.wirelab.wire.Direction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wirelab.wire.Direction.CLIENT_TO_SERVER;
import static org.wirelab.tap.Wire.accept;
import static org.wirelab.tap.Wire.ascii;
import static org.wirelab.tap.Wire.connect;
import static org.wirelab.tap.Wire.readExactly;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private ServerSocket server;
    private Tap tap;
    private Socket client;
    private Socket upstream;

    @BeforeEach
    void connectThroughTap() throws Exception {
        server = Wire.server();
        tap = Tap.to(Wire.address(server));
        client = connect(tap);
        upstream = accept(server);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        upstream.close();
        tap.close();
        server.close();
    }

    @Test
    void latencyWithJitterNeverReordersTheStream() throws Exception {
        tap.downstream().latency(Duration.ofMillis(20), Duration.ofMillis(40));
        StringBuilder expected = new StringBuilder();
        OutputStream out = upstream.getOutputStream();
        long firstWrite = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            String line = String.format("line %03d\n", i);
            expected.append(line);
            out.write(ascii(line));
            if (i % 20 == 0) {
                Thread.sleep(3);               // let the tap read several separate pieces
            }
        }
        InputStream in = client.getInputStream();
        int first = in.read();
        long firstArrival = System.nanoTime();
        String rest = new String(in.readNBytes(expected.length() - 1), StandardCharsets.US_ASCII);

        assertEquals(expected.toString(), (char) first + rest);
        assertTrue(firstArrival - firstWrite >= TimeUnit.MILLISECONDS.toNanos(20),
                "the first byte came before the 20 ms latency: " + (firstArrival - firstWrite) + " ns");
        tap.awaitBytes(Direction.SERVER_TO_CLIENT, expected.length());
        assertTrue(tap.recording().connection(1).events(Direction.SERVER_TO_CLIENT).size() > 1,
                "the tap read more than one piece");
    }

    @Test
    void sliceSendsOneWriteAsSeparateSegments() throws Exception {
        tap.upstream().slice(1, Duration.ofMillis(10));
        client.getOutputStream().write(ascii("hello world"));

        List<String> reads = new ArrayList<>();
        byte[] buf = new byte[64];
        int total = 0;
        InputStream in = upstream.getInputStream();
        while (total < 11) {
            int n = in.read(buf);
            reads.add(new String(buf, 0, n, StandardCharsets.US_ASCII));
            total += n;
        }
        assertEquals("hello world", String.join("", reads));
        assertTrue(reads.size() > 1, "one write should arrive in pieces, got " + reads);
        assertEquals(1, tap.recording().connection(1).events(CLIENT_TO_SERVER).size(),
                "the client sent it as one write");
        System.out.println("slice(1, 10 ms): the server read " + reads);
    }

    @Test
    void clearAppliesWhileTrafficFlowsAndKeepsOrder() throws Exception {
        tap.downstream().latency(Duration.ofMillis(300));
        upstream.getOutputStream().write(ascii("A"));
        tap.awaitBytes(Direction.SERVER_TO_CLIENT, 1);
        tap.downstream().clear();
        upstream.getOutputStream().write(ascii("B"));
        assertEquals("AB", readExactly(client, 2));       // B waits behind the delayed A
        upstream.getOutputStream().write(ascii("C"));
        assertEquals("C", readExactly(client, 1));
    }

    @Test
    void finWaitsBehindDelayedBytes() throws Exception {
        tap.downstream().latency(Duration.ofMillis(150), Duration.ofMillis(50));
        upstream.getOutputStream().write(ascii("last words"));
        upstream.shutdownOutput();
        assertEquals("last words", Wire.readToEnd(client));     // EOF only after every byte
        client.getOutputStream().write(ascii("reply after half-close"));
        assertEquals("reply after half-close", readExactly(upstream, 22));
    }

    @Test
    void bandwidthSpreadsBytesOverTime() throws Exception {
        tap.downstream().bandwidth(64 * 1024);
        byte[] data = new byte[32 * 1024];
        long start = System.nanoTime();
        upstream.getOutputStream().write(data);
        client.getInputStream().readNBytes(data.length);
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(400),
                "32 KiB at 64 KiB/s needs about 500 ms, took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void describesItselfAndRejectsNegativeValues() {
        Conditions up = tap.upstream();
        assertEquals("client → server: no conditions", up.toString());
        up.latency(Duration.ofMillis(50), Duration.ofMillis(20)).bandwidth(16_384).slice(1, Duration.ofMillis(5));
        assertEquals("client → server: latency 50 ms ± 20 ms, 16 KiB/s, slices of 1 B every 5 ms", up.toString());
        assertEquals("bandwidth must be >= 0 bytes per second, was -1",
                assertThrows(IllegalArgumentException.class, () -> up.bandwidth(-1)).getMessage());
        assertEquals(Direction.SERVER_TO_CLIENT, tap.downstream().direction());
    }
}

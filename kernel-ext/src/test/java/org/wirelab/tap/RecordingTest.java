package org.wirelab.tap;

import org.wirelab.wire.Direction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wirelab.wire.Direction.CLIENT_TO_SERVER;
import static org.wirelab.wire.Direction.SERVER_TO_CLIENT;
import static org.wirelab.tap.Wire.accept;
import static org.wirelab.tap.Wire.ascii;
import static org.wirelab.tap.Wire.connect;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class RecordingTest {

    @Test
    void connectionsAreNumberedInAcceptOrder() throws Exception {
        try (ServerSocket server = Wire.server(); Tap tap = Tap.to(Wire.address(server))) {
            for (int i = 1; i <= 3; i++) {
                try (Socket client = connect(tap); Socket upstream = accept(server)) {
                    client.getOutputStream().write(ascii("n" + i));
                    upstream.getInputStream().readNBytes(2);
                }
            }
            tap.awaitConnections(3).awaitClosed();
            Recording r = tap.recording();
            assertEquals(List.of(1, 2, 3), r.connections().stream().map(Connection::id).toList());
            assertEquals("n2", new String(r.connection(2).stream(CLIENT_TO_SERVER)));
            assertEquals(6, r.byteCount(CLIENT_TO_SERVER));
            assertEquals(3, r.events(CLIENT_TO_SERVER).stream().filter(e -> e.kind() == TapEvent.Kind.DATA).count());
            assertEquals("tap: no connection #4; recorded #1..#3",
                    assertThrows(NoSuchElementException.class, () -> r.connection(4)).getMessage());
            List<TapEvent> all = r.events();
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).nanos() <= all.get(i).nanos(), "time order");
            }
            assertEquals(all.size(), r.events(all.get(0).time(), all.get(all.size() - 1).time().plusNanos(1)).size());
        }
    }

    @Test
    void rendersATableOfConnections() throws Exception {
        try (ServerSocket server = Wire.server(); Tap tap = Tap.to(Wire.address(server))) {
            try (Socket client = connect(tap); Socket upstream = accept(server)) {
                client.getOutputStream().write(ascii("ping"));
                upstream.getInputStream().readNBytes(4);
            }
            tap.awaitClosed();
            Map<String, Object> bundle = tap.recording().mimeBundle();
            String text = (String) bundle.get(MimeBundle.TEXT);
            String html = (String) bundle.get(MimeBundle.HTML);
            assertTrue(text.startsWith("1 connection, 4 B client → server, 0 B server → client\n#1 "), text);
            assertTrue(html.startsWith("<div class=\"wl-tap-recording\"><table class=\"wl-table wl-tap-connections\">"), html);
            assertTrue(html.contains("<td>recorded 4 B</td>"), html);
            assertFalse(html.contains("<style") || html.contains("<script"), html);
        }
    }

    @Test
    void savedPcapHoldsTheRecordedBytesForTshark() throws Exception {
        java.nio.file.Path tshark = org.wirelab.testing.Tools.require("tshark");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("wirelab-recording-", ".pcap");
        try (ServerSocket server = Wire.server(); Tap tap = Tap.to(Wire.address(server))) {
            try (Socket client = connect(tap); Socket upstream = accept(server)) {
                client.getOutputStream().write(ascii("GET / HTTP/1.1\r\n\r\n"));
                upstream.getInputStream().readNBytes(18);
                upstream.getOutputStream().write(new byte[] {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
                client.getInputStream().readNBytes(7);
                client.shutdownOutput();
                Wire.readToEnd(upstream);
            }
            tap.awaitClosed();
            Recording r = tap.recording();
            assertEquals(file, r.savePcap(file));

            byte[][] follow = Wire.follow(tshark, file, 0);
            assertArrayEquals(r.connection(1).stream(CLIENT_TO_SERVER), follow[0]);
            assertArrayEquals(r.connection(1).stream(SERVER_TO_CLIENT), follow[1]);
            Process p = new ProcessBuilder(tshark.toString(), "-r", file.toString(), "-T", "fields",
                    "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags.str")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String fields = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            String clientPort = String.valueOf(r.connection(1).client().getPort());
            assertTrue(fields.startsWith(clientPort + "\t" + server.getLocalPort() + "\t··········S·\n"), fields);
            assertEquals(2, fields.lines().filter(l -> l.endsWith("F")).count(), "a FIN each way: " + fields);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void savePcapRefusesARecordingWithDroppedBytes() throws Exception {
        try (ServerSocket server = Wire.server(); Tap tap = Tap.newBuilder().to(Wire.address(server)).cap(10).start();
             Socket client = connect(tap); Socket upstream = accept(server)) {
            client.getOutputStream().write(new byte[100]);
            upstream.getInputStream().readNBytes(100);
            tap.awaitBytes(CLIENT_TO_SERVER, 100);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tap.recording().savePcap(java.nio.file.Path.of("never-written.pcap")));
            assertEquals("tap: connection #1 recorded 10 B of 100 B: 90 B dropped between offsets 5 and 95 "
                    + "(client → server); start the tap with Tap.newBuilder().cap(...) above 100 bytes to save it as pcap",
                    e.getMessage());
            assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("never-written.pcap")));
        }
    }

    /** 1 GiB through the tap with a 1 MiB cap: the recording stays at the cap and counts every byte. */
    @Test
    void oneGibibyteStreamKeepsOnlyTheCapAndCountsExactly() throws Exception {
        long size = 1L << 30;
        int chunk = 1 << 20;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        Recording r;
        try (ServerSocket server = Wire.server(); Tap tap = Tap.to(Wire.address(server))) {
            Socket client = connect(tap);
            client.setSendBufferSize(4 << 20);
            Socket upstream = accept(server);
            upstream.setReceiveBufferSize(4 << 20);
            upstream.setSoTimeout(30_000);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try (OutputStream out = client.getOutputStream()) {
                    for (long at = 0; at < size; at += chunk) {
                        out.write(ConnectionTest.pattern(at, chunk));
                    }
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long received = 0;
            byte[] buf = new byte[chunk];
            byte[] last = new byte[0];
            InputStream in = upstream.getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                received += n;
                if (received > size - 512 * 1024) {
                    last = Arrays.copyOfRange(buf, 0, n);
                }
            }
            sender.get(60, TimeUnit.SECONDS);
            upstream.close();
            client.close();
            tap.awaitClosed();
            assertEquals(size, received, "the server got every byte");
            assertTrue(last.length > 0);
            r = tap.recording();
        }
        long seconds = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Connection c = r.connection(1);
        assertEquals(size, c.byteCount(CLIENT_TO_SERVER));
        assertEquals(size - (1 << 20), c.dropped(CLIENT_TO_SERVER));
        assertEquals(512 * 1024, c.droppedFrom(CLIENT_TO_SERVER));
        assertEquals(size - 512 * 1024, c.droppedTo(CLIENT_TO_SERVER));
        byte[] kept = c.stream(CLIENT_TO_SERVER);
        assertEquals(1 << 20, kept.length);
        assertArrayEquals(ConnectionTest.pattern(0, 512 * 1024), Arrays.copyOf(kept, 512 * 1024), "head");
        assertArrayEquals(ConnectionTest.pattern(size - 512 * 1024, 512 * 1024),
                Arrays.copyOfRange(kept, 512 * 1024, 1 << 20), "tail");
        assertEquals("recorded 1 MiB of 1 GiB: 1023 MiB dropped between offsets 524288 and 1073217536",
                c.summary(CLIENT_TO_SERVER));
        assertEquals(0, c.byteCount(SERVER_TO_CLIENT));
        assertTrue(c.events().size() <= 10_000, "events are bounded: " + c.events().size());

        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("1 GiB through the tap in %d ms; heap used %d MiB before, %d MiB after (recording held: "
                        + "%d events, %d dropped events)%n", seconds, heapBefore >> 20, heapAfter >> 20,
                c.events().size(), c.droppedEvents());
        assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
    }
}

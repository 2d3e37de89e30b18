package org.wirelab.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.wirelab.lifecycle.Lifecycle;
import org.wirelab.wire.Direction;
import org.wirelab.ws.WebSocketDemoServer;

/**
 * A kernel left running: a live tap in front of a WebSocketDemoServer that pushes a message every
 * 50 ms to a JDK WebSocket client, for {@code -Dwirelab.soak.seconds} (20 in a developer build,
 * 600 in CI). The heap after GC is printed at the start and the end; it may grow by at most
 * {@value #HEAP_GROWTH_LIMIT_MIB} MiB (the tap keeps at most 1 MiB per direction and 10,000 events
 * per connection, so a longer run must not need more). Run alone in its own surefire execution.
 */
@Tag("soak")
class TapSoakTest {

    static final int HEAP_GROWTH_LIMIT_MIB = 32;
    static final Duration PERIOD = Duration.ofMillis(50);

    @AfterEach
    void closeEverything() {
        Lifecycle.closeAll();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    @Test
    void tapAndWebSocketPushingForMinutesStayWithinTheirHeap() throws Exception {
        long seconds = Long.getLong("wirelab.soak.seconds", 20);
        int pushes = (int) (seconds * 1000 / PERIOD.toMillis());
        var server = WebSocketDemoServer.start();
        Tap tap = Tap.to(server.address());
        AtomicLong received = new AtomicLong();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(tap.uri("ws", "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        if (last) {
                            received.incrementAndGet();
                        }
                        w.request(1);
                        return null;
                    }
                }).join();
        // warm up: a few hundred messages, so class loading and buffers are in the first figure
        AtomicLong n = new AtomicLong();
        for (int i = 0; i < 200; i++) {
            server.push("warm-up " + i);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.get() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(200, received.get(), "warm-up messages through the tap");
        long start = heapAfterGc();
        int threadsAtStart = Thread.activeCount();
        System.out.println("soak: " + seconds + " s, " + pushes + " pushes every " + PERIOD.toMillis()
                + " ms through " + tap.address() + "; heap after GC at start " + mib(start));

        server.pushEvery(PERIOD, pushes, () -> "tick " + n.incrementAndGet() + " " + System.nanoTime());
        deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60).toNanos();
        while (received.get() < 200 + pushes && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long end = heapAfterGc();
        Connection c = tap.recording().connection(1);
        System.out.println("soak: " + received.get() + " messages received, tap saw " + c.byteCount(Direction.SERVER_TO_CLIENT)
                + " bytes server→client; heap after GC at end " + mib(end) + " (grew " + mib(end - start)
                + "), threads " + threadsAtStart + " → " + Thread.activeCount());
        assertEquals(200 + pushes, received.get(), "every push reached the client through the tap");
        assertTrue(end - start < HEAP_GROWTH_LIMIT_MIB * 1048576L, "heap grew " + mib(end - start));
        ws.abort();
    }
}

package org.wirelab.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wirelab.http.HttpDemoServer;
import org.wirelab.wire.Direction;
import org.wirelab.tap.Tap;
import org.wirelab.ws.Inbox;
import org.wirelab.ws.WebSocketDemoServer;

/**
 * JJava's interrupt only sets the cell thread's flag: every wait in kernel-ext must see it. Each
 * test blocks a thread in one wait (with a 60 s timeout), interrupts it, and expects it back within
 * 1 s with an IllegalStateException saying "interrupted", its flag still set, and the server or
 * tap it waited on still usable and closed afterwards.
 */
class InterruptTest {

    private Duration saved;

    @BeforeEach
    void longTimeout() {
        saved = Lifecycle.timeout();
        Lifecycle.timeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void restore() {
        Lifecycle.closeAll();
        Lifecycle.timeout(saved);
    }

    // Runs wait on a new thread, interrupts it once it blocks, and checks how it came back.
    private static void interruptedWithinOneSecond(Runnable wait) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread cell = new Thread(() -> {
            try {
                wait.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        }, "cell");
        cell.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cell.getState() != Thread.State.TIMED_WAITING && cell.getState() != Thread.State.WAITING) {
            assertTrue(cell.isAlive() && System.nanoTime() < deadline, "the wait did not block: " + thrown.get());
            Thread.sleep(5);
        }
        cell.interrupt();
        cell.join(1000);
        assertFalse(cell.isAlive(), "still waiting 1 s after the interrupt");
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("interrupted"), thrown.get().getMessage());
        assertTrue(flagAfter.get(), "the interrupt flag is kept for the caller");
    }

    private static void refused(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("port " + port + " still open after closing");
        } catch (ConnectException expected) {
            // closed
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void httpTakeRequestReturnsOnInterrupt() throws Exception {
        var server = HttpDemoServer.start();
        interruptedWithinOneSecond(() -> server.takeRequest(Duration.ofSeconds(60)));
        interruptedWithinOneSecond(server::takeRequest);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
            assertEquals("GET", server.takeRequest().method(), "still serving after the interrupts");
        }
        int port = server.port();
        server.close();
        refused(port);
    }

    @Test
    void webSocketTakeMessageAndTakePongReturnOnInterrupt() throws Exception {
        var server = WebSocketDemoServer.start();
        interruptedWithinOneSecond(() -> server.takeMessage(Duration.ofSeconds(60)));
        interruptedWithinOneSecond(() -> server.takePong(Duration.ofSeconds(60)));
        int port = server.port();
        server.close();
        refused(port);
    }

    @Test
    void inboxTakeReturnsOnInterrupt() throws Exception {
        var server = WebSocketDemoServer.start();
        Inbox inbox = Inbox.create();
        var ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(), inbox).join();
        interruptedWithinOneSecond(() -> inbox.take(Duration.ofSeconds(60)));
        ws.sendText("Hello", true);
        assertNotNull(inbox.take(), "the inbox still receives after the interrupt");
        ws.abort();
    }

    @Test
    void tapAwaitsReturnOnInterrupt() throws Exception {
        var server = HttpDemoServer.start();
        Tap tap = Tap.to(server.address());
        interruptedWithinOneSecond(() -> tap.awaitConnections(1));
        interruptedWithinOneSecond(() -> tap.awaitBytes(Direction.CLIENT_TO_SERVER, 1));
        try (Socket s = new Socket("127.0.0.1", tap.port())) {
            tap.awaitConnections(1);
            interruptedWithinOneSecond(tap::awaitClosed);
        }
        int port = tap.port();
        tap.close();
        refused(port);
    }
}

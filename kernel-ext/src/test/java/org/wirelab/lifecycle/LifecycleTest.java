package org.wirelab.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @AfterEach
    void cleanUp() {
        Lifecycle.closeAll();
        Lifecycle.snippetSource(id -> null);
        Lifecycle.timeout(Duration.ofSeconds(5));
    }

    @Test
    void sameKeyClosesThePreviousListenerSoTheFixedPortIsFreeAgain() throws IOException {
        ServerSocket first = Lifecycle.trackKey("echo:fixed", new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        int port = first.getLocalPort();
        first.setReuseAddress(true);
        ServerSocket second = new ServerSocket();
        second.setReuseAddress(true);
        Lifecycle.trackKey("echo:fixed", second);
        assertTrue(first.isClosed(), "the first listener was not closed");
        second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertEquals(port, second.getLocalPort());
        assertEquals(1, Lifecycle.openCount());
    }

    @Test
    void differentStatementsKeepTheirOwnResources() throws IOException {
        ServerSocket a = Lifecycle.track("server", new ServerSocket(0));
        ServerSocket b = Lifecycle.track("server", new ServerSocket(0));
        assertFalse(a.isClosed());
        assertFalse(b.isClosed());
        assertEquals(2, Lifecycle.openCount());
    }

    @Test
    void theSameStatementRunTwiceReplacesItsResource() throws IOException {
        List<ServerSocket> made = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            made.add(Lifecycle.track("server", new ServerSocket(0)));
        }
        assertEquals(1, Lifecycle.openCount());
        assertEquals(19, made.stream().filter(ServerSocket::isClosed).count());
    }

    @Test
    void closeAllClosesEverythingNewestFirst() throws IOException {
        List<String> order = new ArrayList<>();
        Lifecycle.trackKey("a", () -> order.add("a"));
        Lifecycle.trackKey("b", () -> order.add("b"));
        Lifecycle.closeAll();
        assertEquals(List.of("b", "a"), order);
        assertEquals(0, Lifecycle.openCount());
    }

    @Test
    void untrackForgetsAResourceThatClosedItself() throws IOException {
        try (Socket s = new Socket()) {
            Lifecycle.trackKey("client", s);
            Lifecycle.untrack(s);
            assertEquals(0, Lifecycle.openCount());
        }
    }

    @Test
    void jshellSnippetsAreKeyedByTheirSource() {
        assertEquals("12", Lifecycle.snippetId("REPL.$JShell$12"));
        assertEquals("7", Lifecycle.snippetId("REPL.$JShell$7$Handler"));
        assertNull(Lifecycle.snippetId("org.example.Main"));
    }

    @Test
    void timeoutMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lifecycle.timeout(Duration.ZERO));
        assertEquals("timeout must be positive, was PT0S", e.getMessage());
        Lifecycle.timeout(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(10), Lifecycle.timeout());
    }

    @Test
    void aFailedStartClosesAndForgetsTheResource() throws IOException {
        ServerSocket listener = new ServerSocket();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Lifecycle.start("server", listener, l -> {
            throw new IllegalStateException("bind failed: port 1 needs root");
        }));
        assertEquals("bind failed: port 1 needs root", e.getMessage());
        assertTrue(listener.isClosed());
        assertEquals(0, Lifecycle.openCount());
    }

    @Test
    void aStartedResourceIsTracked() throws IOException {
        ServerSocket listener = Lifecycle.start("server", new ServerSocket(), l -> { });
        assertFalse(listener.isClosed());
        assertEquals(1, Lifecycle.openCount());
    }

    @Test
    void openListsWhatCellsStartedWithTheirStatementAndWhetherItIsActive() throws Exception {
        Lifecycle.track("server", new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Activity beats = Lifecycle.activity("heartbeats", () -> { });
        List<Lifecycle.Tracked> open = Lifecycle.open();
        assertEquals(List.of("server", "heartbeats"), open.stream().map(Lifecycle.Tracked::kind).toList());
        assertEquals(List.of(false, true), open.stream().map(Lifecycle.Tracked::active).toList());
        assertTrue(open.get(1).statement().startsWith(LifecycleTest.class.getName() + ":"), open.get(1).statement());
        beats.close();
        assertFalse(beats.active());
        assertEquals(List.of("server"), Lifecycle.open().stream().map(Lifecycle.Tracked::kind).toList());
    }
}

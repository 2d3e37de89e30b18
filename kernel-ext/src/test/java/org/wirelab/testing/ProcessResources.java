package org.wirelab.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * What this JVM holds open, read from /proc: file descriptors, live threads and the TCP ports it
 * listens on (sockets in state LISTEN, 0A in /proc/net/tcp, whose inode is one of our fds).
 */
public record ProcessResources(int fds, int threads, Set<Integer> listeningPorts) {

    /** A snapshot of now; skips the test where /proc is missing. */
    public static ProcessResources now() {
        Path fdDir = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fdDir)) {
            Tools.missing("/proc/self/fd (Linux)");
        }
        Set<String> socketInodes = new HashSet<>();
        int fds = 0;
        try (Stream<Path> list = Files.list(fdDir)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                fds++;
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        socketInodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the fd closed while listing (it was the listing itself)
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals("0A") && socketInodes.contains(f[9])) {
                        String local = f[1];
                        ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                    }
                }
            } catch (IOException e) {
                // no IPv6 table on this machine
            }
        }
        return new ProcessResources(fds, Thread.getAllStackTraces().size(), ports);
    }

    /**
     * Waits (at most 10 s) until fds, threads and listening ports are back to {@code before};
     * Netty's event loop threads end a moment after their group reports termination.
     */
    public static void assertBackTo(ProcessResources before) {
        Supplier<ProcessResources> probe = ProcessResources::now;
        long deadline = System.nanoTime() + 10_000_000_000L;
        ProcessResources after = probe.get();
        while (!after.notAbove(before) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            after = probe.get();
        }
        Assertions.assertEquals(before.listeningPorts(), after.listeningPorts(), "listening ports");
        Assertions.assertTrue(after.fds() <= before.fds(), "fds before " + before.fds() + ", after " + after.fds());
        Assertions.assertTrue(after.threads() <= before.threads(),
                "threads before " + before.threads() + ", after " + after.threads());
    }

    private boolean notAbove(ProcessResources other) {
        return fds <= other.fds && threads <= other.threads && listeningPorts.equals(other.listeningPorts);
    }
}

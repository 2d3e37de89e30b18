package org.wirelab.dissect;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.wirelab.testing.Tools;

/** tshark recording the loopback interface for one TCP port into a file, stopped by close(). */
final class LoopbackCapture implements AutoCloseable {

    private final Process tshark;
    final Path file;

    private LoopbackCapture(Process tshark, Path file) {
        this.tshark = tshark;
        this.file = file;
    }

    /** Starts tshark and returns once it prints "Capturing on"; {@code format} "pcap" or "pcapng". */
    static LoopbackCapture start(int port, Path file, String format) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("tshark").toString(), "-i", "lo", "-f",
                "tcp port " + port, "-F", format, "-w", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream()))) {
                StringBuilder seen = new StringBuilder();
                for (String line; (line = r.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    if (line.contains("Capturing on")) {
                        Thread drain = new Thread(() -> {
                            try {
                                p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
                            } catch (Exception ignored) {
                                // tshark went away
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return "ok";
                    }
                }
                return seen.toString();
            } catch (Exception e) {
                return e.toString();
            }
        });
        String state;
        try {
            state = ready.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("tshark did not start capturing within 30 s");
        }
        if (!state.equals("ok")) {
            p.destroyForcibly();
            Tools.missing("tshark cannot capture on lo here: " + state.strip());
        }
        // dumpcap reports "Capturing on" just before the filter is live; the first SYN was lost without this pause
        Thread.sleep(1000);
        return new LoopbackCapture(p, file);
    }

    /** Waits a moment for the last packets, then stops tshark so the file is complete. */
    @Override
    public void close() throws Exception {
        Thread.sleep(500);
        tshark.destroy();
        if (!tshark.waitFor(10, TimeUnit.SECONDS)) {
            tshark.destroyForcibly();
            tshark.waitFor(5, TimeUnit.SECONDS);
        }
    }
}

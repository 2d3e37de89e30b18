package org.wirelab.notebooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an outside program with a time limit and collects its output. */
final class Processes {

    record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    /** Runs {@code command} in {@code dir}; a program still running after {@code seconds} is killed. */
    static Result run(Path dir, long seconds, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), seconds, command);
    }

    /** Runs {@code command} in {@code dir} with {@code env} added to this process's environment. */
    static Result run(Path dir, Map<String, String> env, long seconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return new Result(-1, out.getNow("") + "\n(killed after " + seconds + " s: " + String.join(" ", command) + ")");
        }
        return new Result(p.exitValue(), out.join());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}

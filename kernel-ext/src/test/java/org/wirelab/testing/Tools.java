package org.wirelab.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs the tests compare against (tshark, curl, chromium, a Python with websockets).
 * On a developer machine a missing tool skips the test, reported as skipped; in CI (CI=true) it
 * fails, because .ci/run installs every one of them.
 */
public final class Tools {

    private Tools() {
    }

    /** The absolute path of {@code program} on PATH, e.g. {@code /usr/bin/tshark}. */
    public static Path require(String program) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            missing(program + " is not on PATH");
        }
        return found.orElseThrow();
    }

    /** {@code file} when it is executable, e.g. {@code /usr/bin/chromium}. */
    public static Path requireFile(Path file) {
        if (!Files.isExecutable(file)) {
            missing(file + " is missing");
        }
        return file;
    }

    /** Fails in CI, skips elsewhere, with {@code why} as the message. */
    public static void missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why + " (CI installs it in .ci/run)");
        }
        Assumptions.abort(why);
    }

    /** Looks {@code program} up on PATH. */
    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The repository root: the folder above kernel-ext. */
    public static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("kernel-ext")) ? here : here.getParent();
    }

    /**
     * A Python that can {@code import websockets}: the project's {@code .venv} when it has it,
     * else a venv under {@code kernel-ext/target/test-python} made with the version pinned in
     * requirements.txt, so that {@code ./mvnw verify} needs no earlier set-up.
     */
    public static synchronized Path pythonWithWebsockets() {
        Path venv = repoRoot().resolve(".venv/bin/python");
        if (Files.isExecutable(venv) && canImport(venv, "websockets")) {
            return venv;
        }
        Path own = repoRoot().resolve("kernel-ext/target/test-python");
        Path python = own.resolve("bin/python");
        if (Files.isExecutable(python) && canImport(python, "websockets")) {
            return python;
        }
        Path python3 = find("python3").orElse(null);
        if (python3 == null) {
            missing("python3 is not on PATH");
        }
        try {
            String pin = Files.readAllLines(repoRoot().resolve("requirements.txt")).stream()
                    .map(String::strip).filter(l -> l.startsWith("websockets==")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("requirements.txt pins no websockets"));
            run(python3.toString(), "-m", "venv", own.toString());
            run(python.toString(), "-m", "pip", "install", "-q", "--disable-pip-version-check", pin);
        } catch (Exception e) {
            missing("could not make a Python with websockets in " + own + ": " + e.getMessage());
        }
        return python;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static boolean canImport(Path python, String module) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import " + module)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}

package org.wirelab.notebooks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs the notebook tests need, with kernel-ext's policy (org.wirelab.testing.Tools):
 * missing on a developer machine, the test is skipped; missing in CI (CI=true), it fails, because
 * .ci/run installs every one of them.
 */
final class Required {

    private Required() {
    }

    /** {@code file} when it is executable, e.g. {@code /usr/bin/chromium}. */
    static Path file(Path file) {
        if (!Files.isExecutable(file)) {
            missing(file + " is missing");
        }
        return file;
    }

    /** The absolute path of {@code program} on PATH, e.g. {@code /usr/bin/node}. */
    static Path onPath(String program) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            missing(program + " is not on PATH");
        }
        return found.orElseThrow();
    }

    /** Fails in CI, skips elsewhere, with {@code why} as the message. */
    static void missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why + " (CI installs it in .ci/run)");
        }
        Assumptions.abort(why);
    }

    static Optional<Path> find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

package org.wirelab.notebooks;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.wirelab.testing.Tools;

/**
 * The environment of a machine where nothing was installed by hand: first on {@code PATH} is a
 * {@code python3} that has none of {@code requirements.txt} (a bare venv of the system's Python), so
 * a cell that runs "python3" instead of the kernel's {@code WIRELAB_PYTHON} fails here as it would
 * there. The notebook tests run their kernels in this environment, from a working directory that
 * is not {@code notebooks/}.
 */
final class NewMachine {

    static final Path BARE = NotebooksTest.ROOT.resolve("notebook-tests/target/bare-python");

    private NewMachine() {
    }

    /** Environment entries to add to a Jupyter process: {@code PATH} with the bare python3 first. */
    static synchronized Map<String, String> env() throws Exception {
        Path python3 = BARE.resolve("bin/python3");
        if (!Files.isExecutable(python3)) {
            Path system = Files.isExecutable(Path.of("/usr/bin/python3")) ? Path.of("/usr/bin/python3") : Tools.require("python3");
            Processes.Result venv = Processes.run(NotebooksTest.ROOT, 120, system.toString(), "-m", "venv", "--without-pip", BARE.toString());
            if (venv.exitCode() != 0) {
                fail("cannot make a bare venv at " + BARE + ":\n" + venv.output());
            }
        }
        // Without this the test would prove nothing: the bare python3 must lack the notebooks' packages.
        Processes.Result probe = Processes.run(NotebooksTest.ROOT, 30, python3.toString(), "-c", "import websockets");
        assertNotEquals(0, probe.exitCode(), python3 + " can import websockets, so it does not stand for a new machine");
        return Map.of("PATH", BARE.resolve("bin") + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
    }
}

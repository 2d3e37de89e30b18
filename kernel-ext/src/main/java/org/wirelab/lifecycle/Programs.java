package org.wirelab.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The outside programs a cell runs, found through the kernel's own environment, never through the
 * working directory or a bare name on {@code PATH} (which may find a Python without the packages).
 * {@code ./lab} and {@code binder/postBuild} write them into the kernelspec.
 *
 * <pre>{@code
 * new ProcessBuilder(Programs.python().toString(), "-c", "import websockets")   // the project's Python
 * }</pre>
 */
public final class Programs {

    /** The kernel environment variable that names the project's Python: {@value}. */
    public static final String PYTHON = "WIRELAB_PYTHON";

    private Programs() {
    }

    /**
     * The Python that {@code ./lab} installed {@code requirements.txt} into (JupyterLab, websockets),
     * e.g. {@code /home/me/wirelab/.venv/bin/python}.
     *
     * @throws IllegalStateException when this kernel was not installed by {@code ./lab} or
     *                               {@code binder/postBuild}, with what to do
     */
    public static Path python() {
        String value = System.getenv(PYTHON);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(PYTHON + " is not set in this kernel's environment: the kernel was not "
                    + "installed by ./lab (or binder/postBuild). Run ./lab --setup-only and pick the \"Java (wirelab)\" "
                    + "kernel, or set " + PYTHON + " to a Python that has requirements.txt installed");
        }
        Path python = Path.of(value);
        if (!python.isAbsolute() || !Files.isExecutable(python)) {
            throw new IllegalStateException(PYTHON + "=" + value + " is not an executable absolute path; run ./lab --setup-only again");
        }
        return python;
    }
}

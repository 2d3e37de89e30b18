package org.wirelab.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every notebook in {@code notebooks/} top to bottom through the real {@code wirelab} kernel
 * with nbclient's {@code jupyter execute}, then reads the executed copy: no error output, no
 * unexpected stderr, and the self-checks printed their pass marks. The kernels run as on a new
 * machine ({@link NewMachine}): from a copy of the folder, not {@code notebooks/} itself, with a
 * {@code python3} first on PATH that lacks requirements.txt. Executed copies are kept in
 * {@code notebook-tests/target/executed/}.
 */
class NotebooksTest {

    static final Path ROOT = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath().normalize();
    static final Path NOTEBOOKS = ROOT.resolve("notebooks");
    static final Path EXECUTED = ROOT.resolve("notebook-tests/target/executed");
    /** The kernels' working directory: a copy of notebooks/, as a reader's own folder would be. */
    static final Path RUN = EXECUTED.resolve("cwd");
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUpKernel() throws Exception {
        // The same set-up as ./lab, so the tests run on a machine that never ran it.
        Processes.Result setup = Processes.run(ROOT, 900, ROOT.resolve("lab").toString(), "--setup-only");
        if (setup.exitCode() != 0) {
            fail("./lab --setup-only failed (exit " + setup.exitCode() + "):\n" + setup.output());
        }
        Files.createDirectories(EXECUTED);
        BrowserTest.deleteTree(RUN);
        BrowserTest.copyTree(NOTEBOOKS, RUN);
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsCleanThroughTheWirelabKernel() throws IOException {
        List<Path> notebooks = Notebooks.list(NOTEBOOKS);
        assertFalse(notebooks.isEmpty(), "no notebooks in " + NOTEBOOKS);
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    private static void execute(Path notebook) throws Exception {
        String name = notebook.getFileName().toString();
        String stem = name.substring(0, name.length() - ".ipynb".length());
        Path executed = EXECUTED.resolve(name);
        Files.deleteIfExists(executed);
        long start = System.nanoTime();
        // --output is resolved against the notebook's folder (the copy), so the executed notebook
        // lands in target/executed/.
        Processes.Result run = Processes.run(RUN, NewMachine.env(), 600,
                ROOT.resolve(".venv/bin/jupyter").toString(), "execute",
                "--kernel_name=wirelab", "--timeout=120", "--startup_timeout=120",
                "--output=" + RUN.relativize(EXECUTED.resolve(stem)), name);
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.writeString(EXECUTED.resolve(stem + ".log"), run.output());
        System.out.printf("executed notebooks/%s in %.1f s (exit %d)%n", name, seconds, run.exitCode());
        if (run.exitCode() != 0) {
            fail(name + ": jupyter execute failed (exit " + run.exitCode() + ")\n" + Notebooks.tail(run.output(), 60));
        }
        assertTrue(Files.exists(executed), name + ": no executed copy at " + executed);
        List<String> problems = Notebooks.problems(JSON.readTree(executed.toFile()));
        assertEquals(List.of(), problems, name + ": problems in the executed notebook " + executed);
    }

    /** What the executed notebook shows that it should not, or misses that it should show. */
    static final class Notebooks {

        static List<Path> list(Path dir) throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
            }
        }

        static List<String> problems(JsonNode nb) {
            List<String> problems = new ArrayList<>();
            boolean selfChecked = false;
            int index = 0;
            for (JsonNode cell : nb.path("cells")) {
                index++;
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                boolean stderrAllowed = hasTag(cell, "allow-stderr");
                for (JsonNode out : cell.path("outputs")) {
                    String type = out.path("output_type").asText();
                    if (type.equals("error")) {
                        problems.add("cell " + index + " raised " + out.path("ename").asText() + ": "
                                + out.path("evalue").asText());
                    } else if (type.equals("stream") && out.path("name").asText().equals("stderr") && !stderrAllowed) {
                        problems.add("cell " + index + " wrote to stderr: " + text(out.path("text")).strip());
                    }
                    if (text(out.path("data").path("text/plain")).contains("✔")
                            || text(out.path("text")).contains("✔")) {
                        selfChecked = true;
                    }
                }
            }
            if (!selfChecked) {
                problems.add("no self-check printed a pass mark (✔)");
            }
            return problems;
        }

        /** Every output line (text/plain and streams) that starts with {@code prefix}, in order. */
        static List<String> lines(JsonNode nb, String prefix) {
            List<String> found = new ArrayList<>();
            for (JsonNode cell : nb.path("cells")) {
                for (JsonNode out : cell.path("outputs")) {
                    String text = text(out.path("data").path("text/plain")) + "\n" + text(out.path("text"));
                    text.lines().filter(l -> l.startsWith(prefix)).forEach(found::add);
                }
            }
            return found;
        }

        static boolean hasTag(JsonNode cell, String tag) {
            for (JsonNode t : cell.path("metadata").path("tags")) {
                if (t.asText().equals(tag)) {
                    return true;
                }
            }
            return false;
        }

        static String text(JsonNode node) {
            if (node.isArray()) {
                StringBuilder sb = new StringBuilder();
                node.forEach(n -> sb.append(n.asText()));
                return sb.toString();
            }
            return node.isMissingNode() ? "" : node.asText();
        }

        static String tail(String text, int lines) {
            String[] all = text.split("\n");
            return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
        }
    }
}

package org.wirelab.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The notebooks as committed, which is what a reader browsing the repository sees: each carries
 * the outputs of one clean top-to-bottom run of the current code (regenerate with
 * {@code .venv/bin/python notebook-tests/nb.py refresh}), and its navigation links are the ones
 * {@code nb.py nav} writes.
 */
class CommittedNotebooksTest {

    static final Path ROOT = NotebooksTest.ROOT;
    static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> committedNotebooksCarryOneCleanInOrderRun() throws IOException {
        List<Path> notebooks = NotebooksTest.Notebooks.list(NotebooksTest.NOTEBOOKS);
        assertFalse(notebooks.isEmpty(), "no notebooks");
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            JsonNode json = JSON.readTree(nb.toFile());
            assertEquals("wirelab", json.path("metadata").path("kernelspec").path("name").asText(),
                    "kernelspec must be wirelab");
            assertEquals(List.of(), runProblems(json), "committed outputs of " + nb.getFileName()
                    + " (regenerate: .venv/bin/python notebook-tests/nb.py refresh " + nb.getFileName().toString().substring(0, 2) + ")");
        }));
    }

    @Test
    void navigationLinksAreWrittenByTheScript() throws Exception {
        Path python = ROOT.resolve(".venv/bin/python");
        if (!python.toFile().canExecute()) {
            Processes.Result setup = Processes.run(ROOT, 900, ROOT.resolve("lab").toString(), "--setup-only");
            assertEquals(0, setup.exitCode(), setup.output());
        }
        Processes.Result check = Processes.run(ROOT, 120, python.toString(), "notebook-tests/nb.py", "nav", "--check");
        assertEquals(0, check.exitCode(), check.output());
    }

    /** Code cells not run, run out of order, or showing errors; and a notebook with no output at all. */
    static List<String> runProblems(JsonNode nb) {
        List<String> problems = new ArrayList<>();
        int expected = 1;
        int outputs = 0;
        int index = 0;
        for (JsonNode cell : nb.path("cells")) {
            index++;
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            JsonNode count = cell.path("execution_count");
            if (count.isNull() || count.isMissingNode()) {
                problems.add("cell " + index + " was not run");
            } else if (count.asInt() != expected) {
                problems.add("cell " + index + " has execution count " + count.asInt() + ", expected " + expected
                        + " (cells run out of order or one at a time)");
                expected = count.asInt() + 1;
            } else {
                expected++;
            }
            for (JsonNode out : cell.path("outputs")) {
                outputs++;
                if (out.path("output_type").asText().equals("error")) {
                    problems.add("cell " + index + " shows an error: " + out.path("ename").asText());
                }
            }
        }
        if (outputs == 0) {
            problems.add("no outputs at all");
        }
        return problems;
    }
}

package org.wirelab.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every notebook run at a reader's pace: {@code scripts/reader_pace.py} waits
 * {@value #PAUSE_SECONDS} s before each cell that uses a background activity an earlier cell
 * started (it asks the kernel after every cell what is still running), as a person reading the
 * prose in between would. The same claims must hold as at machine speed: no cell raises, and the
 * self-checks print their marks. The notebooks run side by side, since the pauses are idle time.
 */
class ReaderPaceTest {

    static final int PAUSE_SECONDS = Integer.getInteger("wirelab.readerPause", 40);
    static final Path OUT = NotebooksTest.ROOT.resolve("notebook-tests/target/reader-pace");

    @BeforeAll
    static void setUpKernel() throws Exception {
        Processes.Result setup = Processes.run(NotebooksTest.ROOT, 900, NotebooksTest.ROOT.resolve("lab").toString(), "--setup-only");
        assertEquals(0, setup.exitCode(), setup.output());
    }

    @Test
    void everyNotebookKeepsItsClaimsWhenReadSlowly() throws Exception {
        BrowserTest.deleteTree(OUT);
        Path run = OUT.resolve("cwd");
        BrowserTest.copyTree(NotebooksTest.NOTEBOOKS, run);
        List<Path> notebooks = NotebooksTest.Notebooks.list(run);
        Map<String, Future<Processes.Result>> runs = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (Path nb : notebooks) {
                String name = nb.getFileName().toString();
                runs.put(name, pool.submit(() -> Processes.run(run, NewMachine.env(), 1800,
                        NotebooksTest.ROOT.resolve(".venv/bin/python").toString(),
                        NotebooksTest.ROOT.resolve("notebook-tests/scripts/reader_pace.py").toString(),
                        name, OUT.resolve(name).toString(), "--pause", String.valueOf(PAUSE_SECONDS))));
            }
            List<String> problems = new ArrayList<>();
            boolean pausedSomewhere = false;
            for (var e : runs.entrySet()) {
                Processes.Result result = e.getValue().get();
                String said = result.output().strip();
                System.out.println("reader pace: " + e.getKey() + ": " + said.lines().reduce((a, b) -> b).orElse(""));
                if (result.exitCode() != 0 || !Files.exists(OUT.resolve(e.getKey()))) {
                    problems.add(e.getKey() + ": the paced run failed (exit " + result.exitCode() + "):\n"
                            + NotebooksTest.Notebooks.tail(said, 30));
                    continue;
                }
                pausedSomewhere |= !said.contains("before cells []");
                JsonNode executed = NotebooksTest.JSON.readTree(OUT.resolve(e.getKey()).toFile());
                for (String p : NotebooksTest.Notebooks.problems(executed)) {
                    problems.add(e.getKey() + " at a reader's pace: " + p);
                }
            }
            assertEquals(List.of(), problems);
            assertTrue(pausedSomewhere, "no notebook had a background activity spanning cells: the probe found nothing to pause for");
        } finally {
            pool.shutdownNow();
        }
        if (runs.isEmpty()) {
            fail("no notebooks in " + run);
        }
    }
}

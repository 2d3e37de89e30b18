package org.wirelab.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cells that start servers and a tap, run 20 times in one real wirelab kernel, leave no extra
 * listening ports, threads or file descriptors in the kernel's JVM: each run replaces what the run
 * before started. A control cell that opens a plain ServerSocket shows the same measurement does
 * count what a cell leaves open.
 */
class KernelRerunTest {

    static final Pattern RUN = Pattern.compile("run (\\d+): fds=(\\d+) threads=(\\d+) listening=(\\d+)");

    record Usage(int fds, int threads, int listening) {
    }

    @BeforeAll
    static void setUpKernel() throws Exception {
        Processes.Result setup = Processes.run(NotebooksTest.ROOT, 900, NotebooksTest.ROOT.resolve("lab").toString(), "--setup-only");
        assertEquals(0, setup.exitCode(), setup.output());
    }

    static List<Usage> rerun(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(NotebooksTest.ROOT.resolve(".venv/bin/python").toString(),
                "notebook-tests/scripts/rerun_cells.py", "20"));
        command.addAll(List.of(extra));
        Processes.Result run = Processes.run(NotebooksTest.ROOT, 300, command.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output());
        List<Usage> usage = new ArrayList<>();
        Matcher m = RUN.matcher(run.output());
        while (m.find()) {
            usage.add(new Usage(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        }
        assertEquals(20, usage.size(), run.output());
        System.out.println("kernel usage over 20 runs" + (extra.length > 0 ? " " + String.join(" ", extra) : "") + ": first "
                + usage.get(0) + ", last " + usage.get(19));
        return usage;
    }

    @Test
    void rerunningServerCellsTwentyTimesLeavesNothingBehind() throws Exception {
        List<Usage> usage = rerun();
        Usage second = usage.get(1);
        Usage last = usage.get(19);
        assertEquals(second.listening(), last.listening(), "listening ports grew: " + usage);
        // A JShell or kernel worker thread may come and go between samples; leaks grow by run.
        assertTrue(Math.abs(last.threads() - second.threads()) <= 2, "threads grew: " + usage);
        assertTrue(Math.abs(last.fds() - second.fds()) <= 2, "file descriptors grew: " + usage);
    }

    @Test
    void theMeasurementSeesAListenerThatNothingCloses() throws Exception {
        List<Usage> usage = rerun("--untracked");
        assertEquals(usage.get(0).listening() + 19, usage.get(19).listening(), usage.toString());
    }
}

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
 * Cells that start servers and a tap, run 50 times in one real wirelab kernel, leave no extra
 * listening ports, threads or file descriptors in the kernel's JVM: each run replaces what the run
 * before started. A control cell that opens a plain ServerSocket shows the same measurement does
 * count what a cell leaves open.
 */
class KernelRerunTest {

    static final int RUNS = 50;
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
                "notebook-tests/scripts/rerun_cells.py", String.valueOf(RUNS)));
        command.addAll(List.of(extra));
        Processes.Result run = Processes.run(NotebooksTest.ROOT, 300, command.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output());
        List<Usage> usage = new ArrayList<>();
        Matcher m = RUN.matcher(run.output());
        while (m.find()) {
            usage.add(new Usage(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        }
        assertEquals(RUNS, usage.size(), run.output());
        System.out.println("kernel usage over " + RUNS + " runs" + (extra.length > 0 ? " " + String.join(" ", extra) : "") + ": first "
                + usage.get(0) + ", last " + usage.get(RUNS - 1));
        return usage;
    }

    @Test
    void rerunningServerCellsFiftyTimesLeavesNothingBehind() throws Exception {
        List<Usage> usage = rerun();
        Usage second = usage.get(1);
        Usage last = usage.get(RUNS - 1);
        assertEquals(second.listening(), last.listening(), "listening ports grew: " + usage);
        // A JShell or kernel worker thread may come and go between samples; leaks grow by run.
        assertTrue(Math.abs(last.threads() - second.threads()) <= 2, "threads grew: " + usage);
        assertTrue(Math.abs(last.fds() - second.fds()) <= 2, "file descriptors grew: " + usage);
    }

    @Test
    void restartingTheKernelFreesEveryPortItListenedOn() throws Exception {
        Processes.Result run = Processes.run(NotebooksTest.ROOT, 300, NotebooksTest.ROOT.resolve(".venv/bin/python").toString(),
                "notebook-tests/scripts/rerun_cells.py", "--restart");
        assertEquals(0, run.exitCode(), run.output());
        Matcher before = Pattern.compile("before restart: listening=\\[([0-9, ]*)]").matcher(run.output());
        assertTrue(before.find() && !before.group(1).isBlank(), "the cells opened no listener:\n" + run.output());
        // Once the old JVM has exited nothing may hold them; another program handed one of these
        // ephemeral ports in the meantime would show up here too (never seen).
        assertTrue(run.output().contains("old kernel JVM exited"), run.output());
        assertTrue(run.output().contains("after restart: still listening=[]"), run.output());
        System.out.println("kernel restart: " + run.output().lines().filter(l -> l.contains("listening=")).toList());
    }

    @Test
    void theMeasurementSeesAListenerThatNothingCloses() throws Exception {
        List<Usage> usage = rerun("--untracked");
        assertEquals(usage.get(0).listening() + RUNS - 1, usage.get(RUNS - 1).listening(), usage.toString());
    }
}

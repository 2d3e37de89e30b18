package org.wirelab.notebooks;

import org.wirelab.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wirelab.netns.Network;

/**
 * Notebook 09 builds real networks in namespaces. NotebooksTest runs it as whoever runs the tests
 * (root in CI); this test runs it as an unprivileged user (uid 65534 via setpriv when the tests run
 * as root), where only user namespaces make it possible, and checks that nothing of any network
 * is left afterwards: not after the notebook, not after a cell is run again, not after the kernel
 * is restarted or killed.
 */
class RealNetworkNotebookTest {

    static final Path ROOT = NotebooksTest.ROOT;
    static final Path WORK = ROOT.resolve("notebook-tests/target/netns");
    static final String NOTEBOOK = "09-real-network.ipynb";
    static final int NOBODY = 65534;

    @BeforeAll
    static void setUpKernel() throws Exception {
        Network.Availability here = Network.available();
        if (!here.yes()) {
            Tools.missing("no network namespaces here: " + here.reason());
        }
        NotebooksTest.setUpKernel();
    }

    @AfterEach
    void nothingOfOursIsLeft() throws Exception {
        assertEquals(List.of(), Network.leftovers(), "processes or namespaces of a network are left");
        if (root()) {
            String tables = Processes.run(ROOT, 30, Tools.require("nft").toString(), "list", "tables").output();
            assertTrue(!tables.contains("wirelab"), "an nftables table of ours is in this namespace:\n" + tables);
            String netns = Processes.run(ROOT, 30, Tools.require("ip").toString(), "netns", "list").output();
            assertTrue(netns.lines().noneMatch(l -> l.matches("(client|router|server)( .*)?")), "ip netns list:\n" + netns);
        }
    }

    @Test
    void theNotebookRunsLiveWithoutRoot() throws Exception {
        Path home = WORK.resolve("home");
        Files.createDirectories(home);
        Files.copy(NotebooksTest.NOTEBOOKS.resolve(NOTEBOOK), home.resolve(NOTEBOOK), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = userEnv(home);
        Processes.Result run = Processes.run(home, env, 900, asNobody(ROOT.resolve(".venv/bin/jupyter-execute").toString(),
                "--kernel_name=wirelab", "--timeout=180", "--startup_timeout=120", "--output=09-executed", NOTEBOOK));
        if (run.exitCode() != 0) {
            fail(NOTEBOOK + " as " + who() + " failed (exit " + run.exitCode() + "):\n" + NotebooksTest.Notebooks.tail(run.output(), 60));
        }
        JsonNode executed = NotebooksTest.JSON.readTree(home.resolve("09-executed.ipynb").toFile());
        assertEquals(List.of(), NotebooksTest.Notebooks.problems(executed), NOTEBOOK + " as " + who());
        String text = executed.toString();
        assertTrue(text.contains(root() ? "user namespace (unprivileged)" : "user namespace"), "not run in a user namespace");
        assertTrue(text.contains("✔ the experiments ran live here"), "the experiments did not run live as " + who());
    }

    @Test
    void whereNoNamespaceCanBeMadeTheNotebookShowsRecordedOutcomesLabelledAsSuch() throws Exception {
        Path home = WORK.resolve("home-recorded");
        Files.createDirectories(home);
        Files.copy(NotebooksTest.NOTEBOOKS.resolve(NOTEBOOK), home.resolve(NOTEBOOK), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = userEnv(home);
        env.put("WIRELAB_NETNS", "off");
        Processes.Result run = Processes.run(home, env, 900, asNobody(ROOT.resolve(".venv/bin/jupyter-execute").toString(),
                "--kernel_name=wirelab", "--timeout=180", "--startup_timeout=120", "--output=09-recorded", NOTEBOOK));
        if (run.exitCode() != 0) {
            fail(NOTEBOOK + " with WIRELAB_NETNS=off failed (exit " + run.exitCode() + "):\n" + NotebooksTest.Notebooks.tail(run.output(), 60));
        }
        JsonNode executed = NotebooksTest.JSON.readTree(home.resolve("09-recorded.ipynb").toFile());
        assertEquals(List.of(), NotebooksTest.Notebooks.problems(executed), NOTEBOOK + " with WIRELAB_NETNS=off");
        String text = executed.toString();
        assertTrue(text.contains("recorded (live: ") && text.contains("org.wirelab.netns.RealNetwork --record"), "outcomes not labelled as recorded");
        assertTrue(text.contains("not checked here: the experiments ran live here"), "the last self-check claims a live run");
    }

    @Test
    void whereNoNamespaceCanBeMadeNotebookTenShowsTheRecordedHttp2StallLabelledAsSuch() throws Exception {
        String notebook = "10-http2-streams.ipynb";
        Path home = WORK.resolve("home-recorded-10");
        Files.createDirectories(home);
        Files.copy(NotebooksTest.NOTEBOOKS.resolve(notebook), home.resolve(notebook), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = userEnv(home);
        env.put("WIRELAB_NETNS", "off");
        Processes.Result run = Processes.run(home, env, 900, asNobody(ROOT.resolve(".venv/bin/jupyter-execute").toString(),
                "--kernel_name=wirelab", "--timeout=180", "--startup_timeout=120", "--output=10-recorded", notebook));
        if (run.exitCode() != 0) {
            fail(notebook + " with WIRELAB_NETNS=off failed (exit " + run.exitCode() + "):\n" + NotebooksTest.Notebooks.tail(run.output(), 60));
        }
        JsonNode executed = NotebooksTest.JSON.readTree(home.resolve("10-recorded.ipynb").toFile());
        assertEquals(List.of(), NotebooksTest.Notebooks.problems(executed), notebook + " with WIRELAB_NETNS=off");
        String text = executed.toString();
        assertTrue(text.contains("http2-stall — recorded (live: ") && text.contains("org.wirelab.netns.RealNetwork --record"),
                "the stall is not labelled as recorded");
        assertTrue(text.contains("one loss stalled both streams"), "the recorded stall is not checked");
        assertTrue(text.contains("not checked here: it ran live here"), "the self-check claims a live run");
    }

    @Test
    void nothingIsLeftAfterAReRunAKernelRestartOrAKill() throws Exception {
        Path home = WORK.resolve("home-kernel");
        Files.createDirectories(home);
        if (root()) {
            Processes.run(ROOT, 30, "chown", "-R", NOBODY + ":" + NOBODY, home.toString());
        }
        Processes.Result run = Processes.run(home, userEnv(home), 600, asNobody(ROOT.resolve(".venv/bin/python").toString(),
                ROOT.resolve("notebook-tests/scripts/netns_kernel.py").toString()));
        String steps = run.output().lines().filter(l -> !l.startsWith("[")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(0, run.exitCode(), "netns_kernel.py as " + who() + ":\n" + steps);
        assertTrue(steps.contains("restart: 0 processes left") && steps.contains("kill: 0 processes left")
                && steps.contains("folders: 0 lab folders left"), steps);
    }

    private static Map<String, String> userEnv(Path home) throws Exception {
        if (root()) {
            Processes.run(ROOT, 30, "chown", "-R", NOBODY + ":" + NOBODY, home.toString());
        }
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        // Only folders any user may read (jupyter-execute, not "jupyter execute": the latter searches
        // folders under /root for its subcommand and fails with EACCES as another user).
        env.put("PATH", ROOT.resolve(".venv/bin") + ":/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
        env.put("JUPYTER_DATA_DIR", home.resolve(".local/share/jupyter").toString());
        env.put("JUPYTER_RUNTIME_DIR", home.resolve(".local/share/jupyter/runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", home.resolve(".jupyter").toString());
        return env;
    }

    private static String[] asNobody(String... command) throws Exception {
        List<String> all = new ArrayList<>();
        if (root()) {
            all.addAll(List.of(Tools.require("setpriv").toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        all.addAll(List.of(command));
        return all.toArray(String[]::new);
    }

    private static String who() throws Exception {
        return root() ? "uid " + NOBODY : "this user";
    }

    private static boolean root() throws Exception {
        return "0".equals(Processes.run(ROOT, 10, "id", "-u").output().strip());
    }
}

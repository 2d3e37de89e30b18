package org.wirelab.notebooks;

import org.wirelab.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the Binder environment the way repo2docker does, without Docker: a fresh venv under
 * {@code notebook-tests/target/binder/} takes the place of the image's Python, gets
 * {@code pip install -r binder/requirements.txt} from the repository root, and then
 * {@code binder/postBuild} runs with that venv first on PATH. A notebook then runs through the
 * resulting kernel as an unprivileged user (uid 65534 via setpriv when the tests run as root), so
 * it needs neither root nor packet capture. Last, {@code jupyter-repo2docker} (pinned below, in its
 * own venv) must accept the repository with {@code --no-build --no-run}: it reads binder/ and writes
 * the Dockerfile it would build, which this test reads; nothing is built or run.
 */
class BinderSetupTest {

    static final Path ROOT = NotebooksTest.ROOT;
    static final Path WORK = ROOT.resolve("notebook-tests/target/binder");
    static final Path VENV = WORK.resolve("venv");
    static final String REPO2DOCKER = "jupyter-repo2docker==2026.4.0";
    /** Run without root, in this order; the ones present are run, at least one must be. */
    static final List<String> SAMPLE = List.of("00-index.ipynb", "01-layers.ipynb", "02-tcp-handshake.ipynb",
            "04-push-and-heartbeats.ipynb", "05-socket-api.ipynb", "07-websocket-vs-socket.ipynb", "08-websocket-vs-http.ipynb");
    /** The ones with claims that need live packet capture, which an unprivileged user does not have. */
    static final List<String> NEED_CAPTURE = List.of("00-index.ipynb", "01-layers.ipynb", "02-tcp-handshake.ipynb",
            "04-push-and-heartbeats.ipynb", "05-socket-api.ipynb", "07-websocket-vs-socket.ipynb");
    static final int NOBODY = 65534;
    static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, String> env;
    static String postBuildOutput;

    @BeforeAll
    static void buildTheBinderEnvironment() throws Exception {
        Path python3 = python();
        BrowserTest.deleteTree(WORK);
        Files.createDirectories(WORK);
        run(ROOT, Map.of(), 120, python3.toString(), "-m", "venv", VENV.toString());
        // repo2docker: RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"
        run(ROOT, Map.of(), 600, VENV.resolve("bin/pip").toString(), "install", "-q", "--disable-pip-version-check",
                "-r", "binder/requirements.txt");
        env = new HashMap<>();
        env.put("PATH", VENV.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        env.put("VIRTUAL_ENV", VENV.toString());
        env.put("JUPYTER_DATA_DIR", WORK.resolve("jupyter-data").toString());
        postBuildOutput = run(ROOT, env, 900, ROOT.resolve("binder/postBuild").toString());
    }

    @Test
    void binderRequirementsInstallEveryPinOfTheRootRequirements() throws Exception {
        String frozen = run(ROOT, Map.of(), 60, VENV.resolve("bin/pip").toString(), "freeze", "--disable-pip-version-check");
        List<String> installed = frozen.lines().map(l -> l.strip().toLowerCase().replace('_', '-')).toList();
        List<String> pins = Files.readAllLines(ROOT.resolve("requirements.txt")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertFalse(pins.isEmpty(), "requirements.txt pins nothing");
        for (String pin : pins) {
            assertTrue(pin.contains("=="), "requirements.txt: not an exact pin: " + pin);
            assertTrue(installed.contains(pin.toLowerCase().replace('_', '-')),
                    "binder/requirements.txt did not install " + pin + "; pip freeze:\n" + frozen);
        }
    }

    @Test
    void postBuildInstallsTheWirelabKernelIntoTheEnvironmentsOwnPrefix() throws Exception {
        Path spec = VENV.resolve("share/jupyter/kernels/wirelab/kernel.json");
        assertTrue(Files.exists(spec), "no kernelspec at " + spec + "; postBuild said:\n" + postBuildOutput);
        JsonNode kernel = JSON.readTree(spec.toFile());
        assertEquals("Java (wirelab)", kernel.path("display_name").asText());
        List<String> argv = new ArrayList<>();
        kernel.path("argv").forEach(a -> argv.add(a.asText()));
        assertEquals(VENV.resolve("share/jupyter/kernels/java/jjava.jar").toString(), argv.get(argv.indexOf("-jar") + 1),
                "the kernel's JVM does not run the environment's JJava: " + argv);
        assertEquals(ROOT.resolve("kernel-ext/target/kernel-ext.jar").toString(), kernel.path("env").path("JJAVA_CLASSPATH").asText());
        assertEquals("-Xmx768m", argv.get(1), "heap not capped for Binder: " + argv);
        // The Python that cells run (08's websockets client) is the image's, with requirements.txt.
        String python = kernel.path("env").path("WIRELAB_PYTHON").asText();
        assertEquals(VENV.resolve("bin/python3").toString(), python, "WIRELAB_PYTHON in " + spec);
        run(ROOT, Map.of(), 60, python, "-c", "import websockets");
        String listed = run(ROOT, env, 60, VENV.resolve("bin/jupyter").toString(), "kernelspec", "list", "--json");
        String resourceDir = JSON.readTree(listed).path("kernelspecs").path("wirelab").path("resource_dir").asText();
        assertEquals(spec.getParent().toString(), resourceDir, "jupyter finds another wirelab kernel first:\n" + listed);
    }

    @Test
    void postBuildTrustsTheShippedNotebooks() throws Exception {
        for (Path nb : NotebooksTest.Notebooks.list(NotebooksTest.NOTEBOOKS)) {
            String out = run(ROOT, env, 60, VENV.resolve("bin/jupyter").toString(), "trust", nb.toString());
            assertTrue(out.contains("already signed"), nb.getFileName() + " was not trusted by postBuild: " + out);
        }
    }

    @Test
    void aNotebookRunsCleanThroughTheBinderKernelWithoutRoot() throws Exception {
        List<Path> sample = new ArrayList<>();
        for (String name : SAMPLE) {
            Path nb = NotebooksTest.NOTEBOOKS.resolve(name);
            if (Files.exists(nb)) {
                sample.add(nb);
            }
        }
        assertFalse(sample.isEmpty(), "none of " + SAMPLE + " in " + NotebooksTest.NOTEBOOKS);
        // The reader's copy, in a folder the unprivileged user owns, like the home folder on Binder.
        Path home = WORK.resolve("home");
        BrowserTest.copyTree(NotebooksTest.NOTEBOOKS, home);
        boolean root = "0".equals(run(ROOT, Map.of(), 10, "id", "-u").strip());
        if (root) {
            run(ROOT, Map.of(), 30, "chown", "-R", NOBODY + ":" + NOBODY, home.toString());
        }
        Map<String, String> user = new HashMap<>(env);
        user.put("HOME", home.toString());
        user.put("JUPYTER_DATA_DIR", home.resolve(".local/share/jupyter").toString());
        user.put("JUPYTER_RUNTIME_DIR", home.resolve(".local/share/jupyter/runtime").toString());
        user.put("JUPYTER_CONFIG_DIR", home.resolve(".jupyter").toString());
        for (Path nb : sample) {
            String name = nb.getFileName().toString();
            String stem = name.substring(0, name.length() - ".ipynb".length());
            List<String> command = new ArrayList<>();
            if (root) {
                command.addAll(List.of(Tools.require("setpriv").toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                        "--clear-groups", "--"));
            }
            command.addAll(List.of(VENV.resolve("bin/jupyter").toString(), "execute", "--kernel_name=wirelab",
                    "--timeout=120", "--startup_timeout=120", "--output=" + stem + "-executed", name));
            Processes.Result result = Processes.run(home, user, 600, command.toArray(String[]::new));
            if (result.exitCode() != 0) {
                fail(name + ": jupyter execute as " + (root ? "uid " + NOBODY : "this user") + " failed (exit "
                        + result.exitCode() + "):\n" + NotebooksTest.Notebooks.tail(result.output(), 40));
            }
            JsonNode executed = JSON.readTree(home.resolve(stem + "-executed.ipynb").toFile());
            assertEquals(List.of(), NotebooksTest.Notebooks.problems(executed), name + " run without root");
            if (root && NEED_CAPTURE.contains(name)) {
                noClaimThatNeedsCaptureIsMarkedChecked(name, executed);
            }
        }
    }

    /**
     * Without capture the claims that need it print "not checked here"; each of them is one the
     * committed notebook (run with live capture) printed as checked, so it is a real claim that only
     * this run could not check, and none of them printed a pass mark here.
     */
    private static void noClaimThatNeedsCaptureIsMarkedChecked(String name, JsonNode executed) throws Exception {
        String notChecked = org.wirelab.display.SelfCheck.NOT_CHECKED + " not checked here: ";
        List<String> unchecked = NotebooksTest.Notebooks.lines(executed, notChecked).stream()
                .map(l -> l.substring(notChecked.length(), l.lastIndexOf(" (needs what is missing here:"))).toList();
        assertFalse(unchecked.isEmpty(), name + ": run without capture, yet no claim said \"not checked here\"");
        List<String> passed = NotebooksTest.Notebooks.lines(executed, org.wirelab.display.SelfCheck.PASS + " ");
        JsonNode committed = JSON.readTree(NotebooksTest.NOTEBOOKS.resolve(name).toFile());
        List<String> committedPasses = NotebooksTest.Notebooks.lines(committed, org.wirelab.display.SelfCheck.PASS + " ");
        for (String claim : unchecked) {
            assertTrue(passed.stream().noneMatch(l -> l.startsWith(org.wirelab.display.SelfCheck.PASS + " " + claim)),
                    name + ": \"" + claim + "\" printed a pass mark without capture");
            assertTrue(committedPasses.stream().anyMatch(l -> l.startsWith(org.wirelab.display.SelfCheck.PASS + " " + claim)),
                    name + ": \"" + claim + "\" is not checked in the committed run either: " + committedPasses);
        }
        System.out.println("without capture, " + name + " left " + unchecked.size() + " claims not checked: " + unchecked);
    }

    @Test
    void repo2dockerAcceptsTheBinderFolderAndRunsItInOrder() throws Exception {
        Path tools = WORK.resolve("repo2docker");
        run(ROOT, Map.of(), 120, python().toString(), "-m", "venv", tools.toString());
        run(ROOT, Map.of(), 600, tools.resolve("bin/pip").toString(), "install", "-q", "--disable-pip-version-check", REPO2DOCKER);
        // --no-build stops before Docker is needed; --debug prints the Dockerfile it would build.
        String out = run(WORK, Map.of(), 300, tools.resolve("bin/jupyter-repo2docker").toString(), "--no-build", "--no-run",
                "--debug", "--user-id", "1000", "--user-name", "jovyan", ROOT.toString());
        Files.writeString(WORK.resolve("Dockerfile.txt"), out);
        int apt = indexOf(out, "apt-get install --yes --no-install-recommends openjdk-17-jdk-headless tshark");
        int copy = indexOf(out, "COPY --chown=1000:1000 src/ ${REPO_DIR}/");
        int pip = indexOf(out, "pip install --no-cache-dir -r \"binder/requirements.txt\"");
        int postBuild = indexOf(out, "RUN ./binder/postBuild");
        assertTrue(apt < copy && copy < pip && pip < postBuild,
                "expected apt.txt, then the whole repository (needed by -r ../requirements.txt), then pip, then postBuild:\n" + out);
    }

    /**
     * The system's Python, like the image's, which an unprivileged user can run; a python3 under
     * root's home (pyenv) cannot be, as /root is private.
     */
    private static Path python() {
        Path system = Path.of("/usr/bin/python3");
        return Files.isExecutable(system) ? system : Tools.require("python3");
    }

    private static int indexOf(String text, String part) {
        int i = text.indexOf(part);
        assertTrue(i >= 0, "not in repo2docker's Dockerfile: " + part + "\n" + text);
        return i;
    }

    private static String run(Path dir, Map<String, String> env, long seconds, String... command) throws Exception {
        Processes.Result result = Processes.run(dir, env, seconds, command);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " failed (exit " + result.exitCode() + "):\n"
                    + NotebooksTest.Notebooks.tail(result.output(), 40));
        }
        return result.output();
    }
}

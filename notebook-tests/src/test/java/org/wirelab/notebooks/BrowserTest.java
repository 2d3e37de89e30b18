package org.wirelab.notebooks;

import org.wirelab.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Opens every notebook in JupyterLab in headless Chromium, runs all its cells and checks what a
 * reader would see: no cell shows an error or stderr, and every rendering the notebook declares is
 * really drawn on the page. Pictures of each notebook in the light and the dark theme go to
 * {@code notebook-tests/target/screenshots/NAME-light.png} and {@code NAME-dark.png}.
 *
 * <p><b>Declaring renderings.</b> A notebook lists what its outputs must draw in its own metadata:
 * <pre>{@code
 * "metadata": { "wirelab": { "renders": ["html", "mermaid", "vegalite"] }, ... }
 * }</pre>
 * <ul>
 *   <li>{@code html}: an element whose class starts with {@code wl-} inside an output;</li>
 *   <li>{@code mermaid}: the SVG that JupyterLab 4.5 draws inside {@code .jp-RenderedMermaid}
 *       (as an {@code img} of type image/svg+xml, or an inline {@code svg});</li>
 *   <li>{@code vegalite}: the {@code canvas} or {@code svg} of class {@code marks} inside
 *       {@code .vega-embed}.</li>
 * </ul>
 * Each must exist with a non-zero size within 10 s after the last cell ran, or the notebook fails
 * naming the missing rendering; an unknown name fails too. A notebook without the key declares
 * nothing. A cell tagged {@code allow-stderr} may write to stderr, as in {@link NotebooksTest}.
 *
 * <p>Three notebooks generated under {@code target/browser/root/} keep the checks honest: one draws
 * all three renderings and must pass; one declares all three but draws only HTML and must fail with
 * exactly the Mermaid and Vega-Lite renderings named missing; one writes to stderr in cell 1 and
 * throws in cell 2 and must fail naming both cells.
 *
 * <p>JupyterLab runs from {@code .venv} (set up by {@code ./lab --setup-only}) on a free loopback
 * port with a random token, on a throwaway copy of {@code notebooks/}, with its settings,
 * workspaces and runtime files under {@code target/browser/}. The browser is Debian's
 * {@code /usr/bin/chromium} driven by {@code playwright-core} (pinned in
 * {@code notebook-tests/browser/package-lock.json}, installed with {@code npm ci}; Playwright never
 * downloads a browser). Without chromium, node or npm the test is skipped, or fails when CI=true.
 */
class BrowserTest {

    static final Path ROOT = NotebooksTest.ROOT;
    static final Path DRIVER = ROOT.resolve("notebook-tests/browser");
    static final Path WORK = ROOT.resolve("notebook-tests/target/browser");
    static final Path SCREENSHOTS = ROOT.resolve("notebook-tests/target/screenshots");
    /** Debian's Chromium; {@code -Dwirelab.chromium=PATH} points elsewhere. */
    static final Path CHROMIUM = Path.of(System.getProperty("wirelab.chromium", "/usr/bin/chromium"));
    static final Duration NOTEBOOK_TIMEOUT = Duration.ofSeconds(120);
    static final String PROBE_ALL = "probe-renders-all.ipynb";
    static final String PROBE_MISSING = "probe-renders-missing.ipynb";
    static final String PROBE_ERRORS = "probe-errors.ipynb";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Notebook path in the served root to the problems the browser found in it. */
    static final Map<String, List<String>> PROBLEMS = new LinkedHashMap<>();
    static final Map<String, List<Path>> PICTURES = new LinkedHashMap<>();
    static List<String> notebooks;

    @BeforeAll
    static void runEveryNotebookInChromium() throws Exception {
        Path chromium = Tools.requireFile(CHROMIUM);
        Path node = Tools.require("node");
        Path npm = Tools.require("npm");
        String nodeVersion = Processes.run(ROOT, 30, node.toString(), "--version").output().strip();
        if (!nodeVersion.matches("v(1[89]|[2-9]\\d)\\..*")) {
            Tools.missing("playwright-core needs node 18 or newer, found " + nodeVersion);
        }

        // 1. The kernel in .venv, and playwright-core from the lock file.
        Processes.Result setup = Processes.run(ROOT, 900, ROOT.resolve("lab").toString(), "--setup-only");
        if (setup.exitCode() != 0) {
            fail("./lab --setup-only failed (exit " + setup.exitCode() + "):\n" + setup.output());
        }
        if (!Files.isDirectory(DRIVER.resolve("node_modules/playwright-core"))) {
            Processes.Result ci = Processes.run(DRIVER, Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), 300,
                    npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund");
            if (ci.exitCode() != 0) {
                fail("npm ci in " + DRIVER + " failed (exit " + ci.exitCode() + "):\n" + ci.output());
            }
        }

        // 2. A throwaway copy of notebooks/ plus the two probes, and JupyterLab's private folders.
        deleteTree(WORK);
        deleteTree(SCREENSHOTS);
        Path served = WORK.resolve("root");
        copyTree(NotebooksTest.NOTEBOOKS, served);
        List<String> all = List.of("html", "mermaid", "vegalite");
        Probes.write(served.resolve(PROBE_ALL), all, List.of(Probes.HTML, Probes.MERMAID, Probes.VEGA_LITE));
        Probes.write(served.resolve(PROBE_MISSING), all, List.of(Probes.HTML));
        Probes.write(served.resolve(PROBE_ERRORS), List.of(), List.of(Probes.STDERR, Probes.THROWS, Probes.HTML));
        Path settings = WORK.resolve("settings");
        // Every cell in the DOM (no windowing), so that outputs far down are checked and pictured;
        // no news or update notifications over the outputs.
        write(settings.resolve("@jupyterlab/notebook-extension/tracker.jupyterlab-settings"),
                "{\"windowingMode\": \"none\"}");
        write(settings.resolve("@jupyterlab/apputils-extension/notification.jupyterlab-settings"),
                "{\"fetchNews\": \"false\", \"checkForUpdates\": false}");
        Files.createDirectories(SCREENSHOTS);

        notebooks = new ArrayList<>();
        ArrayNode list = JSON.createArrayNode();
        for (Path nb : NotebooksTest.Notebooks.list(served)) {
            list.add(describe(served, nb));
        }
        list.add(describe(served, served.resolve(PROBE_ALL)));
        list.add(describe(served, served.resolve(PROBE_MISSING)));
        list.add(describe(served, served.resolve(PROBE_ERRORS)));
        list.forEach(n -> notebooks.add(n.path("path").asText()));

        // 3. JupyterLab on a free loopback port, the driver, and JupyterLab stopped again.
        String token = HexFormat.of().formatHex(randomBytes(16));
        int port = freePort();
        try (Lab lab = Lab.start(served, settings, port, token)) {
            ObjectNode config = JSON.createObjectNode();
            config.put("baseUrl", "http://127.0.0.1:" + port);
            config.put("token", token);
            config.put("chromium", chromium.toString());
            config.put("screenshots", SCREENSHOTS.toString());
            config.put("notebookTimeoutMs", NOTEBOOK_TIMEOUT.toMillis());
            config.set("notebooks", list);
            Path configFile = WORK.resolve("config.json");
            Path resultsFile = WORK.resolve("results.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
            long limit = list.size() * (NOTEBOOK_TIMEOUT.toSeconds() + 30) + 120;
            long start = System.nanoTime();
            Processes.Result run = Processes.run(DRIVER, limit, node.toString(), "run-notebooks.js",
                    configFile.toString(), resultsFile.toString());
            Files.writeString(WORK.resolve("driver.log"), run.output());
            System.out.print(run.output());
            System.out.printf("browser: %d notebooks in %.1f s%n", list.size(), (System.nanoTime() - start) / 1e9);
            if (run.exitCode() != 0 || !Files.exists(resultsFile)) {
                fail("the browser driver failed (exit " + run.exitCode() + "):\n" + NotebooksTest.Notebooks.tail(run.output(), 40)
                        + "\nJupyterLab's log: " + lab.log);
            }
            for (JsonNode result : JSON.readTree(resultsFile.toFile()).path("notebooks")) {
                List<String> problems = new ArrayList<>();
                result.path("problems").forEach(p -> problems.add(p.asText()));
                List<Path> pictures = new ArrayList<>();
                result.path("screenshots").forEach(p -> pictures.add(Path.of(p.asText())));
                PROBLEMS.put(result.path("path").asText(), problems);
                PICTURES.put(result.path("path").asText(), pictures);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsInJupyterLabAndDrawsWhatItDeclares() {
        List<String> real = notebooks.stream().filter(n -> !n.startsWith("probe-")).toList();
        assertFalse(real.isEmpty(), "no notebooks in " + NotebooksTest.NOTEBOOKS);
        return real.stream().map(nb -> DynamicTest.dynamicTest(nb, () -> assertClean(nb)));
    }

    @Test
    void aNotebookThatDrawsHtmlMermaidAndVegaLitePasses() {
        assertClean(PROBE_ALL);
    }

    @Test
    void aDeclaredRenderingThatIsNotDrawnFailsTheNotebook() {
        List<String> problems = PROBLEMS.get(PROBE_MISSING);
        assertNotNull(problems, PROBE_MISSING + " was not run");
        assertEquals(2, problems.size(), PROBE_MISSING + " should miss exactly mermaid and vegalite: " + problems);
        assertTrue(problems.get(0).startsWith("declares rendering 'mermaid' but no output draws it"), problems.get(0));
        assertTrue(problems.get(1).startsWith("declares rendering 'vegalite' but no output draws it"), problems.get(1));
    }

    @Test
    void aCellThatWritesToStderrOrThrowsFailsTheNotebookNamingTheCell() {
        List<String> problems = PROBLEMS.get(PROBE_ERRORS);
        assertNotNull(problems, PROBE_ERRORS + " was not run");
        assertTrue(problems.contains("cell 1 shows stderr: probe writes to stderr"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("cell 2 shows an error: ")
                && p.contains("probe throws")), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.startsWith("cell 3 ")), "cell 3 is clean: " + problems);
    }

    private static void assertClean(String notebook) {
        List<String> problems = PROBLEMS.get(notebook);
        assertNotNull(problems, notebook + " was not run in the browser (see target/browser/driver.log)");
        assertEquals(List.of(), problems, notebook + " in JupyterLab (pictures: " + PICTURES.get(notebook) + ")");
        for (String theme : List.of("light", "dark")) {
            Path picture = SCREENSHOTS.resolve(notebook.replace(".ipynb", "-" + theme + ".png"));
            assertTrue(Files.isRegularFile(picture), notebook + ": no " + theme + " screenshot at " + picture);
        }
    }

    /** The driver's view of one notebook: its path, declared renderings and allow-stderr cells. */
    private static ObjectNode describe(Path served, Path notebook) throws IOException {
        JsonNode nb = JSON.readTree(notebook.toFile());
        ObjectNode entry = JSON.createObjectNode();
        entry.put("path", served.relativize(notebook).toString());
        ArrayNode renders = entry.putArray("renders");
        nb.path("metadata").path("wirelab").path("renders").forEach(r -> renders.add(r.asText()));
        ArrayNode allow = entry.putArray("allowStderr");
        int index = 0;
        for (JsonNode cell : nb.path("cells")) {
            index++;
            if (NotebooksTest.Notebooks.hasTag(cell, "allow-stderr")) {
                allow.add(index);
            }
        }
        return entry;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.toString().contains(".ipynb_checkpoints")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** JupyterLab from .venv, serving {@code root} on 127.0.0.1:{@code port}, its files under {@code work}. */
    static final class Lab implements AutoCloseable {

        final Process process;
        final Path log;

        private Lab(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Lab start(Path root, Path settings, int port, String token) throws Exception {
            return start(WORK, root, settings, port, token);
        }

        static Lab start(Path work, Path root, Path settings, int port, String token) throws Exception {
            Path log = work.resolve("jupyterlab.log");
            ProcessBuilder builder = new ProcessBuilder(ROOT.resolve(".venv/bin/jupyter").toString(), "lab",
                    "--ServerApp.ip=127.0.0.1", "--ServerApp.port=" + port, "--ServerApp.port_retries=0",
                    "--IdentityProvider.token=" + token, "--ServerApp.open_browser=False",
                    "--ServerApp.root_dir=" + root, "--ServerApp.allow_root=True",
                    "--ServerApp.terminals_enabled=False", "--LabApp.expose_app_in_browser=True",
                    "--LabApp.user_settings_dir=" + settings, "--LabApp.workspaces_dir=" + work.resolve("workspaces"))
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            // As on a new machine; nothing from the user's own Jupyter folders, and the trust
            // database stays in target/.
            builder.environment().putAll(NewMachine.env());
            builder.environment().put("JUPYTER_CONFIG_DIR", work.resolve("config").toString());
            builder.environment().put("JUPYTER_DATA_DIR", work.resolve("data").toString());
            builder.environment().put("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString());
            Lab lab = new Lab(builder.start(), log);
            lab.process.getOutputStream().close();
            try {
                lab.awaitReady(port, token, Duration.ofSeconds(90));
            } catch (Exception | AssertionError e) {
                lab.close();
                throw e;
            }
            return lab;
        }

        private void awaitReady(int port, String token, Duration limit) throws Exception {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                    .header("Authorization", "token " + token).timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("JupyterLab exited with " + process.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    if (http.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            fail("JupyterLab did not answer on port " + port + " within " + limit.toSeconds() + " s:\n" + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The generated notebooks that prove the rendering checks can fail. */
    static final class Probes {

        static final String HTML = """
                new Rich() {
                    public java.util.Map<String, Object> mimeBundle() {
                        return MimeBundle.text("probe").html("<div class=\\"wl-probe\\">drawn as HTML</div>").build();
                    }
                }""";
        static final String STDERR = """
                System.err.println("probe writes to stderr");""";
        static final String THROWS = """
                throw new IllegalStateException("probe throws");""";
        static final String MERMAID = """
                new Rich() {
                    public java.util.Map<String, Object> mimeBundle() {
                        return MimeBundle.text("A->>B: hi").mermaid("sequenceDiagram\\n A->>B: hi").build();
                    }
                }""";
        static final String VEGA_LITE = """
                new Rich() {
                    public java.util.Map<String, Object> mimeBundle() {
                        var rows = java.util.List.of(java.util.Map.of("frame", "text", "bytes", 7),
                                java.util.Map.of("frame", "binary", "bytes", 260));
                        return MimeBundle.text("2 bars").vegaLite(java.util.Map.of(
                                "data", java.util.Map.of("values", rows), "mark", "bar",
                                "encoding", java.util.Map.of(
                                        "x", java.util.Map.of("field", "frame", "type", "nominal"),
                                        "y", java.util.Map.of("field", "bytes", "type", "quantitative")))).build();
                    }
                }""";

        /** A notebook for the wirelab kernel that declares {@code renders} and runs {@code cells}. */
        static void write(Path file, List<String> renders, List<String> cells) throws IOException {
            ObjectNode nb = JSON.createObjectNode();
            nb.put("nbformat", 4);
            nb.put("nbformat_minor", 5);
            ObjectNode meta = nb.putObject("metadata");
            ObjectNode spec = meta.putObject("kernelspec");
            spec.put("name", "wirelab");
            spec.put("display_name", "Java (wirelab)");
            spec.put("language", "java");
            meta.putObject("language_info").put("name", "java");
            ArrayNode declared = meta.putObject("wirelab").putArray("renders");
            renders.forEach(declared::add);
            ArrayNode out = nb.putArray("cells");
            int id = 0;
            for (String source : cells) {
                ObjectNode cell = out.addObject();
                cell.put("cell_type", "code");
                cell.put("id", "probe-" + id++);
                cell.putObject("metadata");
                cell.putNull("execution_count");
                cell.putArray("outputs");
                cell.put("source", source);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), nb);
        }
    }
}

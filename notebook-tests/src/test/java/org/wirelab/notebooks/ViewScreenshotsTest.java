package org.wirelab.notebooks;

import org.wirelab.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Pictures of every view kernel-ext has, in JupyterLab's light and dark themes, taken in real
 * JupyterLab in headless Chromium, for {@code docs/views.md}:
 * <pre>
 * ./mvnw -q -pl notebook-tests -am verify -Dtest=ViewScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false -Dwirelab.docs=true
 * </pre>
 * It writes a gallery notebook to {@code notebook-tests/target/views/root/views.ipynb}: a few cells
 * that make real traffic on loopback (a WebSocket conversation, four HTTP/1.1 requests on one
 * connection, a TCP echo through a tap), then one short cell per view. JupyterLab runs it twice,
 * once loaded in the light theme and once loaded in the dark theme (set in its user settings before
 * the page opens, so that Mermaid and Vega draw in that theme's colours from the start), and
 * {@code browser/run-notebooks.js} crops a picture to each view cell's output area. The pictures
 * replace {@code docs/views/*.png} and {@code docs/views.md} is written from the same cells.
 *
 * <p>Without {@code -Dwirelab.docs=true} surefire leaves this class out (notebook-tests/pom.xml): it
 * changes files in the tree, so it is not part of {@code ./mvnw verify}.
 */
class ViewScreenshotsTest {

    static final Path ROOT = NotebooksTest.ROOT;
    static final Path DRIVER = ROOT.resolve("notebook-tests/browser");
    static final Path WORK = ROOT.resolve("notebook-tests/target/views");
    static final Path DOCS = ROOT.resolve("docs");
    static final String COMMAND = "./mvnw -q -pl notebook-tests -am verify -Dtest=ViewScreenshotsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dwirelab.docs=true";
    static final int MAX_WIDTH = 1000;
    static final long MAX_TOTAL_BYTES = 3L * 1024 * 1024;

    /** One view: its file name, heading, what the cell draws, one sentence and the cell itself. */
    record View(String name, String title, String draws, String sentence, String source) {
    }

    /** The traffic the views show, made before them. */
    static final List<String> TRAFFIC = List.of(
            """
            WirelabCss.stylesheet()""",
            """
            var ws = WebSocketDemoServer.start();
            var wsTap = Tap.to(ws.address());
            var inbox = Inbox.create();
            var client = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(wsTap.uri("ws", "/ws"), inbox).join();
            client.sendText("Hello", true).join();
            inbox.take();
            client.sendClose(1000, "").join();
            wsTap.awaitClosed();
            var wsConn = wsTap.recording().connection(1);
            var key = Dissect.http(wsConn.stream(Direction.CLIENT_TO_SERVER)).value("http.sec_websocket_key");
            var up = Dissect.upgraded(wsConn.stream(Direction.CLIENT_TO_SERVER));
            var down = Dissect.upgraded(wsConn.stream(Direction.SERVER_TO_CLIENT));""",
            """
            var http = HttpDemoServer.start();
            var httpTap = Tap.to(http.address());
            var httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 1; i <= 4; i++) httpClient.send(HttpRequest.newBuilder(httpTap.uri("http", "/delay/10")).build(), HttpResponse.BodyHandlers.ofString());
            var httpConn = httpTap.recording().connection(1);
            var packets = Dissect.pcap(httpTap.recording().savePcap(Path.of("views-http.pcap")));
            var request = packets.packets().stream().filter(p -> p.field("tcp.payload").isPresent()).findFirst().orElseThrow();""",
            """
            var echo = TcpEchoServer.start();
            var echoTap = Tap.to(echo.address());
            var watch = TcpStates.watch(Duration.ofMillis(2), echo.port());
            try (var s = new Socket("127.0.0.1", echoTap.port())) { s.getOutputStream().write("hello, wire\\n".getBytes()); s.getInputStream().readNBytes(12); Thread.sleep(100); }
            echoTap.awaitClosed();
            Thread.sleep(50);
            var history = watch.stop();""");

    static final List<View> VIEWS = List.of(
            new View("hex-view", "HexView", "html",
                    "The client's WebSocket frames as they crossed the wire (a masked text frame \"Hello\", then the"
                            + " masked close frame), every field coloured over its bytes.",
                    "HexView.of(up)"),
            new View("hex-layers", "HexView.layers", "html",
                    "One packet of an HTTP request, from the tap's recording written as a pcap (the HTTP bytes are"
                            + " the recorded ones, the Ethernet, IPv4 and TCP headers are built by the pcap writer), each"
                            + " layer in one colour.",
                    "HexView.layers(request)"),
            new View("message-view", "MessageView", "html",
                    "The field tree of the client's masked \"Hello\" frame beside its bytes, each field once; pointing"
                            + " at a tree line outlines its bytes, and `.table()` adds the table of fields.",
                    "MessageView.of(up.frame(1))"),
            new View("stream-view", "StreamView", "html",
                    "Follow-stream of the WebSocket connection through the tap: the handshake as text, then the"
                            + " frames, both directions coloured.",
                    "StreamView.of(wsConn)"),
            new View("sequence-diagram", "SequenceDiagram", "mermaid",
                    "The WebSocket connection as Mermaid, drawn by JupyterLab: connect, the Upgrade request and its"
                            + " 101, the frames, the close and the FINs.",
                    "SequenceDiagram.of(wsTap.recording())"),
            new View("timeline-duplex", "Timeline.duplex", "vegalite",
                    "Four HTTP/1.1 requests on one kept-alive connection: a lane per direction, a mark per read of"
                            + " the tap, a bar from first to last byte of reads less than 1 ms apart (Vega-Lite).",
                    "Timeline.duplex(httpTap.recording())"),
            new View("timeline-tcp-states", "TcpStateHistory.timeline", "vegalite",
                    "The TCP states the kernel reported for the echo connection, sampled every 2 ms, from"
                            + " ESTABLISHED to TIME_WAIT (Vega-Lite).",
                    "history.timeline()"),
            new View("chart", "Chart", "vegalite",
                    "A Vega-Lite bar chart of the bytes each way on the WebSocket connection and on the HTTP/1.1"
                            + " connection.",
                    """
                    Chart.bar("Bytes each way").x("connection").y("bytes", "B")
                        .add("WebSocket", "client → server", wsConn.byteCount(Direction.CLIENT_TO_SERVER))
                        .add("WebSocket", "server → client", wsConn.byteCount(Direction.SERVER_TO_CLIENT))
                        .add("HTTP/1.1, 4 requests", "client → server", httpConn.byteCount(Direction.CLIENT_TO_SERVER))
                        .add("HTTP/1.1, 4 requests", "server → client", httpConn.byteCount(Direction.SERVER_TO_CLIENT))"""),
            new View("live-sequence", "LiveSequence", "mermaid",
                    "A sequence diagram that redraws itself in place after every event a tap sees, here after a"
                            + " WebSocket conversation filled it in.",
                    """
                    var liveTap = Tap.to(ws.address());
                    var liveInbox = Inbox.create();
                    LiveSequence.follow(liveTap);
                    var live = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(liveTap.uri("ws", "/ws"), liveInbox).join();
                    for (var m : List.of("one", "two")) { live.sendText(m, true).join(); liveInbox.take(); }
                    live.sendClose(1000, "done").join(); liveTap.awaitClosed(); Thread.sleep(300);"""),
            new View("accept-key", "AcceptKey", "table",
                    "Sec-WebSocket-Accept computed step by step from the key the JDK's client sent: key + GUID,"
                            + " SHA-1, base64.",
                    "Dissect.handshake(key)"),
            new View("self-check", "SelfCheck", "html",
                    "Claims checked against the bytes recorded; a failing claim throws.",
                    """
                    SelfCheck.of("the server's echo is 81 05 48 65 6c 6c 6f", "81 05 48 65 6c 6c 6f", down.frame(1).hex())
                        .and("the client's frame is masked", "1", up.frame(1).value("websocket.mask"))
                        .and("the 101 carries base64(SHA-1(key + GUID))", Dissect.handshake(key).accept(),
                             Dissect.http(wsConn.stream(Direction.SERVER_TO_CLIENT)).value("http.sec_websocket_accept"))"""),
            new View("recording", "Recording", "html",
                    "What a tap recorded between a client and a TCP echo server: the connection, its bytes each way,"
                            + " and every event with its time, offset and bytes.",
                    "echoTap.recording()"),
            new View("tcp-states", "TcpStates", "html",
                    "The kernel's TCP sockets on the echo server's port right now (from /proc/net/tcp): the"
                            + " listener and the closed connection in TIME_WAIT.",
                    "TcpStates.sample(echo.port())"));

    @Test
    void everyViewIsPicturedInTheLightAndTheDarkTheme() throws Exception {
        Path chromium = Tools.requireFile(BrowserTest.CHROMIUM);
        Path node = Tools.require("node");
        Path npm = Tools.require("npm");

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

        // 2. The gallery notebook and JupyterLab's private folders.
        BrowserTest.deleteTree(WORK);
        Path served = WORK.resolve("root");
        Path shots = WORK.resolve("pictures");
        writeGallery(served.resolve("views.ipynb"));
        Path settings = WORK.resolve("settings");
        BrowserTest.write(settings.resolve("@jupyterlab/notebook-extension/tracker.jupyterlab-settings"),
                "{\"windowingMode\": \"none\"}");
        BrowserTest.write(settings.resolve("@jupyterlab/apputils-extension/notification.jupyterlab-settings"),
                "{\"fetchNews\": \"false\", \"checkForUpdates\": false}");

        // 3. One run per theme, the page loaded in that theme.
        String token = HexFormat.of().formatHex(randomBytes(16));
        int port = freePort();
        try (BrowserTest.Lab lab = BrowserTest.Lab.start(WORK, served, settings, port, token)) {
            for (String theme : List.of("light", "dark")) {
                BrowserTest.write(settings.resolve("@jupyterlab/apputils-extension/themes.jupyterlab-settings"),
                        "{\"theme\": \"JupyterLab " + (theme.equals("light") ? "Light" : "Dark") + "\"}");
                ObjectNode config = BrowserTest.JSON.createObjectNode();
                config.put("baseUrl", "http://127.0.0.1:" + port);
                config.put("token", token);
                config.put("chromium", chromium.toString());
                config.put("screenshots", WORK.resolve("notebook").toString());
                config.put("notebookTimeoutMs", BrowserTest.NOTEBOOK_TIMEOUT.toMillis());
                config.put("theme", theme);
                config.put("cellShots", shots.toString());
                config.put("viewportWidth", 1150);
                ObjectNode entry = config.putArray("notebooks").addObject();
                entry.put("path", "views.ipynb");
                entry.putArray("renders");
                entry.putArray("allowStderr");
                Path configFile = WORK.resolve("config-" + theme + ".json");
                Path resultsFile = WORK.resolve("results-" + theme + ".json");
                BrowserTest.JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
                Processes.Result run = Processes.run(DRIVER, BrowserTest.NOTEBOOK_TIMEOUT.toSeconds() + 120,
                        node.toString(), "run-notebooks.js", configFile.toString(), resultsFile.toString());
                Files.writeString(WORK.resolve("driver-" + theme + ".log"), run.output());
                System.out.print(run.output());
                if (run.exitCode() != 0 || !Files.exists(resultsFile)) {
                    fail("the browser driver failed (exit " + run.exitCode() + "):\n"
                            + NotebooksTest.Notebooks.tail(run.output(), 40) + "\nJupyterLab's log: " + lab.log);
                }
                List<String> problems = new ArrayList<>();
                for (JsonNode result : BrowserTest.JSON.readTree(resultsFile.toFile()).path("notebooks")) {
                    result.path("problems").forEach(p -> problems.add(p.asText()));
                }
                assertEquals(List.of(), problems, "the gallery in the " + theme + " theme (pictures: " + WORK + ")");
            }
        }

        // 4. Every view in both themes, no wider than the docs allow; then into docs/.
        long total = 0;
        for (View view : VIEWS) {
            for (String theme : List.of("light", "dark")) {
                Path picture = shots.resolve(view.name() + "-" + theme + ".png");
                assertTrue(Files.isRegularFile(picture), view.name() + ": no " + theme + " picture at " + picture);
                int width = pngWidth(picture);
                assertTrue(width <= MAX_WIDTH, picture + " is " + width + " px wide, more than " + MAX_WIDTH);
                total += Files.size(picture);
            }
        }
        assertTrue(total <= MAX_TOTAL_BYTES, "the pictures take " + total + " bytes, more than " + MAX_TOTAL_BYTES);
        Path views = DOCS.resolve("views");
        Files.createDirectories(views);
        try (Stream<Path> old = Files.list(views)) {
            for (Path p : (Iterable<Path>) old.filter(p -> p.toString().endsWith(".png"))::iterator) {
                Files.delete(p);
            }
        }
        try (Stream<Path> fresh = Files.list(shots)) {
            for (Path p : (Iterable<Path>) fresh::iterator) {
                trimRight(p, views.resolve(p.getFileName().toString()));
            }
        }
        Files.writeString(DOCS.resolve("views.md"), markdown());
        System.out.printf("views: %d pictures, %d KiB, in %s%n", VIEWS.size() * 2, total / 1024, views);
    }

    /** The notebook: the traffic cells, then one cell per view carrying its name in its metadata. */
    static void writeGallery(Path file) throws IOException {
        ObjectNode nb = BrowserTest.JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        ObjectNode meta = nb.putObject("metadata");
        ObjectNode spec = meta.putObject("kernelspec");
        spec.put("name", "wirelab");
        spec.put("display_name", "Java (wirelab)");
        spec.put("language", "java");
        meta.putObject("language_info").put("name", "java");
        ArrayNode cells = nb.putArray("cells");
        int id = 0;
        for (String source : TRAFFIC) {
            cell(cells, "traffic-" + id++, source);
        }
        for (View view : VIEWS) {
            ObjectNode wirelab = ((ObjectNode) cell(cells, view.name(), view.source()).get("metadata")).putObject("wirelab");
            wirelab.put("view", view.name());
            wirelab.put("draws", view.draws());
        }
        Files.createDirectories(file.getParent());
        BrowserTest.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), nb);
    }

    private static ObjectNode cell(ArrayNode cells, String id, String source) {
        ObjectNode cell = cells.addObject();
        cell.put("cell_type", "code");
        cell.put("id", id);
        cell.putObject("metadata");
        cell.putNull("execution_count");
        cell.putArray("outputs");
        cell.put("source", source);
        return cell;
    }

    /** docs/views.md: a section per view with its cell and its two pictures side by side. */
    static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# The views\n\n");
        md.append("Every view kernel-ext draws, as JupyterLab shows it in its light and dark themes. The pictures\n")
                .append("were taken in JupyterLab in headless Chromium, from a notebook that first makes real traffic\n")
                .append("on loopback and then runs the cell shown under each heading. To take them again (this page and\n")
                .append("`docs/views/*.png` are rewritten):\n\n")
                .append("```sh\n").append(COMMAND).append("\n```\n\n")
                .append("It needs `./lab --setup-only`'s `.venv`, node 18 or newer and `/usr/bin/chromium`; see\n")
                .append("`notebook-tests/src/test/java/org/wirelab/notebooks/ViewScreenshotsTest.java`.\n\n");
        md.append("The dark pictures come from a page that loaded in the dark theme: Mermaid picks its colours when\n")
                .append("it draws, so a diagram drawn before a switch to the dark theme keeps dark text on the dark page.\n\n");
        md.append("The notebook's first cell is `WirelabCss.stylesheet()`; the traffic the cells below look at:\n\n```java\n");
        md.append(String.join("\n\n", TRAFFIC.subList(1, TRAFFIC.size())));
        md.append("\n```\n");
        for (View view : VIEWS) {
            md.append("\n## ").append(view.title()).append("\n\n").append(view.sentence()).append("\n\n");
            md.append("```java\n").append(view.source()).append("\n```\n\n");
            md.append("| light | dark |\n|---|---|\n");
            md.append("| ![").append(view.title()).append(", light theme](views/").append(view.name()).append("-light.png) | ")
                    .append("![").append(view.title()).append(", dark theme](views/").append(view.name()).append("-dark.png) |\n");
        }
        return md.toString();
    }

    /**
     * Copies a picture without the empty columns on its right: an output area is as wide as the
     * notebook, most views are narrower. Empty means the colour of the top-right pixel.
     */
    static void trimRight(Path from, Path to) throws IOException {
        BufferedImage image = ImageIO.read(from.toFile());
        int background = image.getRGB(image.getWidth() - 1, 0);
        int right = image.getWidth() - 1;
        while (right > 0 && columnIs(image, right, background)) {
            right--;
        }
        int width = Math.min(image.getWidth(), right + 1 + 12);
        if (!ImageIO.write(image.getSubimage(0, 0, width, image.getHeight()), "png", to.toFile())) {
            fail("no PNG writer for " + to);
        }
    }

    private static boolean columnIs(BufferedImage image, int x, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            if (image.getRGB(x, y) != rgb) {
                return false;
            }
        }
        return true;
    }

    /** The width in the IHDR chunk, bytes 16-19 of a PNG. */
    static int pngWidth(Path png) throws IOException {
        try (InputStream in = Files.newInputStream(png)) {
            byte[] head = in.readNBytes(24);
            assertEquals("89504e470d0a1a0a", HexFormat.of().formatHex(head, 0, 8), png + " is not a PNG");
            return ByteBuffer.wrap(head, 16, 4).getInt();
        }
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
}

package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.http2.Http2DemoServer;
import org.wirelab.tap.Tap;
import org.wirelab.testing.Tools;

/**
 * Dissect.http2 against tshark, field by field, on real captures: curl with prior knowledge and the
 * JDK's HttpClient with the Upgrade: h2c path, both through a tap, saved with savePcap; recorded
 * here on each run and the two committed in test resources. Every http2.* field instance tshark
 * shows must be ours too, with the same value; each capture prints
 * {@code http2 vs tshark (curl capture): 30 frames, 620 field instances, 620 equal, 0 excluded}.
 */
class Http2TsharkTest {

    /** Fields tshark must have agreed with on every capture. */
    static final List<String> MUST = List.of("http2.length", "http2.type", "http2.flags", "http2.flags.end_stream",
            "http2.flags.eh", "http2.r", "http2.streamid", "http2.settings.id", "http2.settings.initial_window_size",
            "http2.settings.max_concurrent_streams", "http2.headers", "http2.header", "http2.header.name",
            "http2.header.value", "http2.header.repr", "http2.header.index", "http2.data.data",
            "http2.window_update.window_size_increment", "http2.magic", "http2.header.name.length",
            "http2.header.value.length", "http2.header.unescaped", "http2.header.length", "http2.header.count",
            "http2.headers.method", "http2.headers.path", "http2.headers.status", "http2.request.full_uri",
            "http2.body.fragments", "http2.body.fragment", "http2.body.reassembled.data");

    /** And on the JDK client's Upgrade: h2c captures: the HTTP2-Settings header's parameters. */
    static final List<String> MUST_UPGRADE = List.of("http.http2_settings", "http2.settings.header_table_size",
            "http2.settings.max_frame_size");

    @Test
    void curlPriorKnowledgeCaptureAgreesWithTshark(@TempDir Path dir) throws Exception {
        Path curl = Tools.require("curl");
        Tools.require("tshark");
        Path pcap = dir.resolve("curl-h2c.pcap");
        int port;
        try (var server = Http2DemoServer.start(); var tap = Tap.newBuilder().to(server.address()).cap(4 << 20).start()) {
            port = server.port();
            // one request per curl: curl 7.88's reuse of a prior-knowledge connection fails (curl issue #10634)
            for (String path : List.of("/", "/bytes/100000", "/delay/20")) {
                Process p = new ProcessBuilder(curl.toString(), "-s", "-o", "/dev/null", "--http2-prior-knowledge",
                        tap.uri("http", path).toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "curl did not finish");
                assertEquals(0, p.exitValue(), out);
            }
            tap.awaitConnections(3);
            tap.awaitClosed();
            tap.recording().savePcap(pcap);
        }
        compare(pcap, List.of("-d", "tcp.port==" + port + ",http2"), "curl");
    }

    @Test
    void jdkClientUpgradeCaptureAgreesWithTshark(@TempDir Path dir) throws Exception {
        Tools.require("tshark");
        Path pcap = dir.resolve("jdk-h2c.pcap");
        int port;
        try (var server = Http2DemoServer.start(); var tap = Tap.newBuilder().to(server.address()).cap(4 << 20).start()) {
            port = server.port();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            client.send(HttpRequest.newBuilder(tap.uri("http", "/")).build(), HttpResponse.BodyHandlers.ofString());
            var slow = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/delay/200")).build(),
                    HttpResponse.BodyHandlers.ofString());
            var fast = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/")).build(), HttpResponse.BodyHandlers.ofString());
            var big = client.sendAsync(HttpRequest.newBuilder(tap.uri("http", "/bytes/100000")).build(),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture.allOf(slow, fast, big).get(10, TimeUnit.SECONDS);
            tap.close();
            tap.recording().savePcap(pcap);
        }
        // tshark follows the Upgrade: h2c from HTTP when the port is decoded as HTTP
        upgrade(compare(pcap, List.of("-d", "tcp.port==" + port + ",http"), "jdk"));
    }

    /** The same comparison on the committed captures (also the HTTP/2 fuzz seeds): /, /bytes/20000 by each client. */
    @Test
    void committedCurlCaptureAgreesWithTshark() throws Exception {
        Tools.require("tshark");
        Path pcap = committed("h2c-curl-prior-knowledge.pcap");
        compare(pcap, List.of("-d", "tcp.port==" + serverPort(pcap) + ",http2"), "committed curl");
    }

    @Test
    void committedJdkCaptureAgreesWithTshark() throws Exception {
        Tools.require("tshark");
        Path pcap = committed("h2c-jdk-upgrade.pcap");
        upgrade(compare(pcap, List.of("-d", "tcp.port==" + serverPort(pcap) + ",http"), "committed jdk"));
    }

    static Path committed(String name) throws Exception {
        var url = Http2TsharkTest.class.getResource("/captures/" + name);
        assertTrue(url != null, name + " is not on the test class path");
        return Path.of(url.toURI());
    }

    // the port the client's first bytes (the preface or the Upgrade request) went to
    private static int serverPort(Path pcap) {
        TcpStream client = Dissect.pcap(pcap).streams().stream().filter(s -> s.bytes().length > 0
                && (s.bytes()[0] == 'P' || s.bytes()[0] == 'G')).findFirst().orElseThrow();
        return Integer.parseInt(client.destination().substring(client.destination().lastIndexOf(':') + 1));
    }

    /**
     * tshark http2.* fields ours does not reproduce, each with why: field name -> reason. Empty: every
     * instance tshark shows is reproduced, with its value.
     */
    static final Map<String, String> EXCLUDED = Map.of();

    /**
     * Every http2.* field instance in tshark's PDML of the capture must be matched by one of ours:
     * same name, same value, and same pos and size where the field sits in the packet's bytes; fields
     * tshark shows in a buffer of its own (decompressed headers, HTTP2-Settings, a reassembled body)
     * by value under the item matching their parent (PdmlComparison.inOwnBuffer). Ours must all match too.
     */
    private static void upgrade(PdmlComparison c) {
        for (String must : MUST_UPGRADE) {
            assertTrue(c.matchedByName.containsKey(must), must + " never compared: " + c.summary());
        }
    }

    private static PdmlComparison compare(Path pcap, List<String> decodeAs, String name) throws Exception {
        assertTrue(Files.size(pcap) > 0);
        Pdml pdml = Pdml.of(pcap, decodeAs);
        PdmlComparison c = new PdmlComparison();
        int frames = 0;
        for (TcpStream s : Dissect.pcap(pcap).streams()) {
            Http2Dissection h2 = Dissect.http2(s);
            assertEquals(List.of(), h2.problems(), s.toString());
            assertEquals(List.of(), h2.uncoveredBytes(), s.toString());
            frames += h2.frames().size();
            c.stream(pdml, new TcpStream(s.index(), s.source(), s.destination(), s.segments(), h2));
        }
        Map<Pdml.Item, Boolean> tshark = c.items(pdml, "http2.");
        long equal = tshark.values().stream().filter(b -> b).count();
        Map<String, Integer> excluded = new TreeMap<>();
        Map<String, Integer> missing = new TreeMap<>();
        tshark.forEach((item, matched) -> {
            if (!matched) {
                (EXCLUDED.containsKey(item.name()) ? excluded : missing).merge(item.name(), 1, Integer::sum);
            }
        });
        int excludedCount = excluded.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("http2 vs tshark (" + name + " capture): " + frames + " frames, " + tshark.size()
                + " field instances, " + equal + " equal, " + excludedCount + " excluded" + (excluded.isEmpty() ? "" : " " + excluded)
                + (missing.isEmpty() ? "" : ", MISSING " + missing));
        System.out.println("http2 vs tshark (" + name + " capture), all fields compared: " + c.summary());
        c.mismatches.forEach(m -> System.out.println("MISMATCH " + m.substring(0, Math.min(300, m.length()))
                + (m.length() > 300 ? " ... " + m.substring(Math.max(300, m.length() - 600)) : "")));
        assertEquals(List.of(), c.mismatches);
        assertEquals(Map.of(), missing, "tshark http2.* field instances that ours lacks");
        for (String must : MUST) {
            assertTrue(c.matchedByName.containsKey(must), must + " never compared: " + c.summary());
        }
        return c;
    }
}

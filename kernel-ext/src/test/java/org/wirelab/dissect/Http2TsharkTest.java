package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.http2.Http2DemoServer;
import org.wirelab.tap.Tap;
import org.wirelab.testing.Tools;

/**
 * Dissect.http2 against tshark, field by field, on real captures: curl with prior knowledge and the
 * JDK's HttpClient with the Upgrade: h2c path, both through a tap, saved with savePcap.
 */
class Http2TsharkTest {

    /** Fields tshark must have agreed with on every capture. */
    static final List<String> MUST = List.of("http2.length", "http2.type", "http2.flags", "http2.flags.end_stream",
            "http2.flags.eh", "http2.r", "http2.streamid", "http2.settings.id", "http2.settings.initial_window_size",
            "http2.settings.max_concurrent_streams", "http2.headers", "http2.header", "http2.header.name",
            "http2.header.value", "http2.header.repr", "http2.header.index", "http2.data.data",
            "http2.window_update.window_size_increment", "http2.magic");

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
        compare(pcap, List.of("-d", "tcp.port==" + port + ",http"), "jdk");
    }

    private static void compare(Path pcap, List<String> decodeAs, String name) throws Exception {
        assertTrue(Files.size(pcap) > 0);
        Pdml pdml = Pdml.of(pcap, decodeAs);
        PdmlComparison c = new PdmlComparison();
        int frames = 0;
        // tshark shows the last DATA frame of a multi-frame body only inside the reassembled body: compare the bodies
        java.util.Set<String> tsharkBodies = new java.util.HashSet<>();
        pdml.packets.forEach(p -> p.stream().filter(i -> i.name().equals("http2.body.reassembled.data"))
                .forEach(i -> tsharkBodies.add(i.show())));
        int bodies = 0;
        for (TcpStream s : Dissect.pcap(pcap).streams()) {
            Http2Dissection h2 = Dissect.http2(s.bytes());
            for (int id : h2.streamIds()) {
                List<Field> data = h2.allFields().stream().filter(f -> f.name().equals("http2.data.data")).filter(f ->
                        h2.frames(id).stream().anyMatch(fr -> f.offset() >= fr.offset() && f.end() <= fr.offset() + fr.length())).toList();
                if (data.size() > 1) {
                    String ours = String.join(":", data.stream().map(Field::value).toList());
                    assertTrue(tsharkBodies.contains(ours), "stream " + id + ": tshark has no reassembled body of "
                            + data.size() + " DATA frames equal to ours");
                    bodies++;
                }
            }
            assertEquals(List.of(), h2.problems(), s.toString());
            assertEquals(List.of(), h2.uncoveredBytes(), s.toString());
            frames += h2.frames().size();
            c.stream(pdml, new TcpStream(s.index(), s.source(), s.destination(), s.segments(), h2));
        }
        var unmatched = new java.util.TreeMap<String, Integer>();
        c.unmatchedTsharkFields(pdml).forEach((k, v) -> {
            if (k.startsWith("http2")) {
                unmatched.put(k, v);
            }
        });
        assertEquals(tsharkBodies.size(), bodies, "reassembled bodies: tshark's and ours");
        System.out.println("http2 vs tshark, " + name + " (" + frames + " frames): " + c.summary() + "; "
                + bodies + " multi-frame bodies equal to tshark's http2.body.reassembled.data");
        System.out.println("http2 vs tshark, " + name + ": tshark http2 fields with bytes not produced here: " + unmatched);
        c.mismatches.forEach(m -> System.out.println("MISMATCH " + m.substring(0, Math.min(300, m.length())) + " ... " + m.substring(Math.max(0, m.length() - 900))));
        assertEquals(List.of(), c.mismatches);
        for (String must : MUST) {
            assertTrue(c.matchedByName.containsKey(must), must + " never compared: " + c.summary());
        }
    }
}

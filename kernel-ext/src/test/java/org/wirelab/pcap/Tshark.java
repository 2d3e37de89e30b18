package org.wirelab.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.wirelab.testing.Tools;

/** Runs tshark on a file and reads back what Wireshark itself makes of it. */
final class Tshark {

    /** Words of Wireshark expert infos that mean the file is not a clean capture. */
    static final List<String> FORBIDDEN = List.of("malformed", "checksum", "out-of-order",
            "previous segment not captured", "acked unseen segment", "retransmission", "dup ack",
            "window full", "zero window", "keep-alive", "spurious", "lost segment");

    private Tshark() {
    }

    static String run(Path file, String... args) {
        Path tshark = Tools.require("tshark");
        List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-n", "-r", file.toString(),
                "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-o", "tcp.relative_sequence_numbers:TRUE"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark did not finish: " + cmd);
            assertEquals(0, p.exitValue(), "tshark failed: " + cmd);
            return new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError("running " + cmd + ": " + e, e);
        }
    }

    /** Every expert message and malformed mark tshark reports, one line per frame. */
    static String expert(Path file) {
        return run(file, "-q", "-z", "expert") + "\n"
                + run(file, "-T", "fields", "-e", "_ws.expert.message", "-e", "_ws.malformed");
    }

    /** Asserts tshark reports none of the {@link #FORBIDDEN} problems and every checksum is good. */
    static void assertClean(Path file) {
        assertSequenceClean(file, List.of());
        String sums = run(file, "-T", "fields", "-e", "tcp.checksum.status", "-e", "ip.checksum.status");
        for (String line : sums.split("\n")) {
            for (String status : line.split("[\t,]")) {
                if (!status.isBlank()) {
                    assertEquals("1", status.strip(), "checksum status (1 = good) in: " + sums);
                }
            }
        }
    }

    /**
     * Asserts tshark reports none of the {@link #FORBIDDEN} problems except the {@code allowed} ones,
     * e.g. "checksum" for a live loopback capture, whose TCP checksums are left to (absent) offload.
     */
    static void assertSequenceClean(Path file, List<String> allowed) {
        assertEquals("", run(file, "-Y", "tcp.analysis.flags", "-T", "fields", "-e", "frame.number",
                "-e", "_ws.expert.message"), "frames with TCP analysis flags");
        String expert = expert(file).toLowerCase(Locale.ROOT);
        for (String word : FORBIDDEN) {
            if (allowed.contains(word)) {
                continue;
            }
            assertTrue(!expert.contains(word), "tshark reports '" + word + "':\n" + expert);
        }
    }

    /**
     * Asserts {@code file} shows TCP Fast Open (RFC 7413) as RecordCaptures records it: the first
     * connection's SYN asks for a cookie and its SYN-ACK brings one; the second connection's SYN
     * carries that cookie and data beginning {@code GET /}, which its SYN-ACK acknowledges; nothing
     * malformed, no TCP analysis problems.
     */
    static void assertFastOpen(Path file) {
        String rows = run(file, "-Y", "tcp.flags.syn == 1", "-T", "fields", "-E", "separator=|",
                "-e", "tcp.stream", "-e", "tcp.flags.ack", "-e", "tcp.len", "-e", "tcp.ack",
                "-e", "tcp.options.tfo.request", "-e", "tcp.options.tfo.cookie", "-e", "tcp.payload");
        Map<String, String[]> seen = new HashMap<>();
        for (String row : rows.strip().split("\n")) {
            String[] f = row.split("\\|", -1);
            seen.put(f[0] + (f[1].equals("1") ? " SYN-ACK" : " SYN"), f);
        }
        assertEquals(Set.of("0 SYN", "0 SYN-ACK", "1 SYN", "1 SYN-ACK"), seen.keySet(), rows);
        String[] syn0 = seen.get("0 SYN");
        String[] synAck0 = seen.get("0 SYN-ACK");
        String[] syn1 = seen.get("1 SYN");
        String[] synAck1 = seen.get("1 SYN-ACK");
        assertEquals("1", syn0[4], "the first SYN asks for a cookie (TFO=R): " + rows);
        assertEquals("0", syn0[2], "the first SYN carries no data: " + rows);
        String cookie = synAck0[5];
        assertTrue(cookie.matches("([0-9a-f]{2}){4,16}"), "the first SYN-ACK brings a 4..16 byte cookie: " + rows);
        assertEquals(cookie, syn1[5], "the second SYN sends the cookie back: " + rows);
        int len = Integer.parseInt(syn1[2]);
        assertTrue(len > 0, "the second SYN carries data (tcp.len > 0): " + rows);
        byte[] data = HexFormat.of().parseHex(syn1[6]);
        assertEquals(len, data.length, rows);
        assertTrue(new String(data, StandardCharsets.US_ASCII).startsWith("GET /"), "an HTTP request: " + rows);
        assertEquals(String.valueOf(len + 1), synAck1[3], "the SYN-ACK acknowledges the SYN and its data: " + rows);
        assertEquals("", run(file, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number").strip(),
                "malformed frames");
        // Loopback skips checksum computation (CHECKSUM_PARTIAL), so captured TCP checksums are not final.
        assertSequenceClean(file, List.of("checksum"));
    }

    /** The two byte streams of TCP stream {@code n} as tshark's "follow,tcp,raw" gives them: [client, server]. */
    static byte[][] follow(Path file, int n) {
        String text = run(file, "-q", "-z", "follow,tcp,raw," + n);
        ByteArrayOutputStream node0 = new ByteArrayOutputStream();
        ByteArrayOutputStream node1 = new ByteArrayOutputStream();
        boolean body = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("Node 1:")) {
                body = true;
                continue;
            }
            if (!body || line.startsWith("=====")) {
                continue;
            }
            if (line.startsWith("\t")) {
                node1.writeBytes(HexFormat.of().parseHex(line.strip()));
            } else if (!line.isBlank()) {
                node0.writeBytes(HexFormat.of().parseHex(line.strip()));
            }
        }
        return new byte[][] {node0.toByteArray(), node1.toByteArray()};
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

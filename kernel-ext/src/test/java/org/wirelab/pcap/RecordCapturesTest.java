package org.wirelab.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.testing.Tools;

class RecordCapturesTest {

    @TempDir
    Path dir;

    @Test
    void reRecordingTcpFastOpenShowsDataOnTheSecondSyn() throws Exception {
        requireRoot();
        Tools.require("ip");
        Tools.require("curl");
        Tools.require("tshark");
        Path out = Path.of("target", "recorded-again");
        Path file;
        try {
            file = RecordCaptures.tcpFastOpen(out);
        } catch (IllegalStateException e) {
            if (e.getMessage().startsWith("cannot create network namespace")) {
                Tools.missing(e.getMessage());
            }
            throw e;
        }
        assertEquals(out.toAbsolutePath().resolve("tcp-fast-open.pcap"), file);
        assertTrue(Files.size(file) < 10_000, Files.size(file) + " bytes");
        Tshark.assertFastOpen(file);
        String namespaces = ipNetnsList();
        assertFalse(namespaces.contains("wirelab-tfo-" + ProcessHandle.current().pid() + "-"),
                "the recording's namespace is deleted: " + namespaces);
    }

    @Test
    void recordingInsideRefusesANamespaceItIsNotIn() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RecordCaptures.fastOpenInNamespace("wirelab-tfo-absent", dir.resolve("x.pcap")));
        assertTrue(e.getMessage().startsWith("not inside network namespace wirelab-tfo-absent"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.pcap")));
    }

    @Test
    void recordingInsideRefusesTheHostNamespace() throws Exception {
        requireRoot();
        Tools.require("ip");
        String ns = "wirelab-tfo-" + ProcessHandle.current().pid() + "-host";
        Process add = new ProcessBuilder("ip", "netns", "add", ns).redirectErrorStream(true).start();
        String said = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!add.waitFor(5, TimeUnit.SECONDS) || add.exitValue() != 0) {
            Tools.missing("cannot create network namespace " + ns + ": " + said.strip());
        }
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RecordCaptures.fastOpenInNamespace(ns, dir.resolve("x.pcap")));
            assertTrue(e.getMessage().startsWith("not inside network namespace " + ns), e.getMessage());
        } finally {
            new ProcessBuilder("ip", "netns", "delete", ns).start().waitFor(5, TimeUnit.SECONDS);
        }
    }

    // Root is what `ip netns add` and the sysctl need; CI runs as root, a developer usually not.
    private static void requireRoot() throws Exception {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            Tools.missing("root (for ip netns add and the sysctl), uid is " + uid);
        }
    }

    private static String ipNetnsList() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        return text;
    }
}

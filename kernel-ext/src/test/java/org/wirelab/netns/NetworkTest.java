package org.wirelab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.PacketCapture;
import org.wirelab.testing.Tools;

class NetworkTest {

    static void requireNamespaces() {
        Network.Availability a = Network.available();
        if (!a.yes()) {
            Tools.missing("cannot build a network namespace here: " + a.reason());
        }
    }

    @Test
    void aClientReachesTheServerThroughTheRoutersNatAndTearDownLeavesNothing() {
        requireNamespaces();
        Network net = Network.build();
        String ns;
        try {
            ns = net.router().sh("readlink /proc/self/ns/net").strip();
            net.router().startCapture("rs", Network.SERVER_IP);
            net.server().peer("listen 9000 8 sink");
            assertEquals("ok 10.0.1.2", net.client().peer("connect c1 10.0.2.2 9000").replaceAll(":\\d+$", ""));
            assertEquals("ok 5000", net.client().peer("write c1 5000"));
            assertEquals("ok 5000 in-order", net.server().peer("received 9000.1 5000 5000"));
            assertTrue(net.server().peer("states 9000").contains("10.0.2.2:9000 → 10.0.2.1:"),
                    "the server sees the router's address (masquerade)");
            byte[] file = net.router().stopCapture("rs");
            PacketCapture pcap = Dissect.pcap(file);
            assertEquals("10.0.2.1", pcap.packets().stream().filter(p -> p.field("tcp.srcport").isPresent()).findFirst().orElseThrow().value("ip.src"), "the SYN leaves the router NATed");
            assertTrue(net.router().sh("nft list tables").contains("table ip wirelab"));
        } finally {
            net.close();
        }
        assertEquals(List.of(), Network.leftovers());
        assertTrue(ProcessHandle.of(net.pid()).isEmpty(), "unshare has exited");
        assertEquals(List.of(), namespaceHolders(ns));
    }

    @Test
    void netemIsNamedAsTheKernelHasItOrNot() {
        requireNamespaces();
        try (Network net = Network.build()) {
            Network.Netem netem = net.netem();
            // the same question asked again, by hand, in another namespace
            String direct = net.client().sh("tc qdisc add dev lo root netem delay 5ms 2>&1 && echo added; true").strip();
            assertEquals(direct.endsWith("added"), netem.present(), direct);
            assertTrue(netem.toString().startsWith(netem.present() ? "netem: in this kernel" : "netem: not in this kernel (tc: "), netem.toString());
        }
    }

    // Processes (this user's) whose network namespace is ns, e.g. "net:[4026532301]".
    static List<String> namespaceHolders(String ns) {
        List<String> holders = new java.util.ArrayList<>();
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            try {
                if (java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + p.pid() + "/ns/net")).toString().equals(ns)) {
                    holders.add(p.pid() + " " + p.info().commandLine().orElse("?"));
                }
            } catch (Exception e) {
                // not ours, or gone
            }
        }
        return holders;
    }
}

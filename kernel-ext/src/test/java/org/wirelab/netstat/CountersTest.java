package org.wirelab.netstat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CountersTest {

    static final List<String> SNMP = List.of(
            "Ip: Forwarding DefaultTTL InReceives",
            "Ip: 1 64 5000",
            "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
            "Udp: 1367 0 0 1832 12 0 0 0 0");

    @Test
    void aGroupIsReadFromItsNameLineAndValueLine() {
        Counters udp = Counters.parse(SNMP, "Udp").orElseThrow();
        assertEquals(12, udp.get("RcvbufErrors"));
        assertEquals(1832, udp.get("OutDatagrams"));
        assertEquals(Optional.empty(), Counters.parse(SNMP, "Tcp"));
    }

    @Test
    void aDifferenceNamesOnlyTheCountersThatChanged() {
        Counters before = Counters.parse(SNMP, "Udp").orElseThrow();
        Counters after = Counters.parse(List.of(SNMP.get(2), "Udp: 1373 0 0 2832 1006 0 0 0 0"), "Udp").orElseThrow();
        assertEquals("Udp: InDatagrams +6, OutDatagrams +1000, RcvbufErrors +994", after.minus(before).toString());
        assertEquals("Udp: no change", before.minus(before).toString());
    }

    @Test
    void aReceiverThatDoesNotReadLosesDatagramsAndTheKernelCountsThem() throws Exception {
        int sent = 400;
        int got = 0;
        Counters before = Counters.udp();
        try (var slow = new DatagramSocket(0, InetAddress.getLoopbackAddress()); var sender = new DatagramSocket()) {
            slow.setReceiveBufferSize(4096);
            slow.setSoTimeout(200);
            for (int i = 0; i < sent; i++) {
                sender.send(new DatagramPacket(new byte[512], 512, slow.getLocalSocketAddress()));
            }
            try {
                while (true) {
                    slow.receive(new DatagramPacket(new byte[600], 600));
                    got++;
                }
            } catch (SocketTimeoutException end) {
                // drained
            }
        }
        long dropped = Counters.udp().minus(before).get("RcvbufErrors");
        assertTrue(got < sent, "all " + sent + " arrived");
        assertTrue(dropped >= sent - got, "RcvbufErrors grew by " + dropped + ", but " + (sent - got) + " were lost");
    }
}

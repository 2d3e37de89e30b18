package org.wirelab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wirelab.display.SelfCheck;
import org.wirelab.testing.Tools;

// HTTP/2 over one TCP connection through a router that drops one segment: both streams wait for it.
class Http2StallTest {

    @Test
    void oneLostSegmentOfStreamOneHoldsBackStreamThreeUntilTheRetransmission() {
        NetworkTest.requireNamespaces();
        Tools.require("tshark");
        Outcome o = RealNetwork.http2Stall();
        try {
            assertTrue(o.live(), o.how());
            System.out.println(o);
            System.out.println(RealNetwork.http2Timeline(o));
            assertStall(o);
            assertEquals(1, o.tshark("router-rs", "tcp.analysis.retransmission && tcp.srcport == " + RealNetwork.H2_PORT).orElseThrow().size(),
                    "tshark sees the server send one segment twice");
        } finally {
            assertEquals(List.of(), Network.leftovers());
        }
    }

    @Test
    void theShippedOutcomeIsLabelledRecordedAndShowsTheSameStall() {
        Outcome o = Outcome.recorded("http2-stall");
        assertFalse(o.live());
        assertTrue(o.how().startsWith("recorded (live: ") && o.how().endsWith(Outcome.RECORD_COMMAND), o.how());
        assertStall(o);
    }

    @Test
    void theDemoServersRunInTheServerNamespaceAndAnswerTheClient() {
        NetworkTest.requireNamespaces();
        try (Network net = Network.build()) {
            assertTrue(net.server().peer("serve http2 9011").startsWith("ok Http2DemoServer http://127.0.0.1:9011/"));
            String log = net.client().peer("h2 " + Network.SERVER_IP + " 9011 /bytes/100 /bytes/5 0");
            assertTrue(log.contains(" DATA s=1 len=100 END_STREAM"), log);
            assertTrue(log.contains(" DATA s=3 len=5 END_STREAM"), log);
            assertTrue(net.server().peer("serve echo 9013").startsWith("ok TcpEchoServer"));
            net.client().peer("connect e " + Network.SERVER_IP + " 9013");
            net.client().peer("write e 10");
            assertEquals("ok 10 bytes", net.client().peer("read e 10 5000"), "the echo server sends the 10 bytes back");
            assertTrue(net.server().peer("serve http 9012").startsWith("ok HttpDemoServer"));
            assertTrue(net.client().peer("connect h " + Network.SERVER_IP + " 9012").startsWith("ok 10.0.1.2:"));
        }
        assertEquals(List.of(), Network.leftovers());
    }

    // From the captures and the client's log, not from the check's own words.
    private static void assertStall(Outcome o) {
        SelfCheck check = RealNetwork.check(o);
        System.out.println(check);
        RealNetwork.Stall st = RealNetwork.stall(o);
        assertTrue(st.frames(st.lost()).stream().allMatch(f -> f.stream() == 1 || f.stream() == 0), "the lost segment holds stream 1 only");
        Outcome.Segment b = st.carrying(3).get(0);
        assertTrue(b.time().isBefore(st.resent().time()), "stream 3's segment crossed the router before the retransmission");
        assertTrue(Duration.between(st.lost().time(), st.resent().time()).toMillis() >= 150, "a retransmission timeout, not a fast retransmit");
        assertFalse(st.firstData(3).time().isBefore(st.resent().time()), "stream 3 reached the application after the retransmission");
        assertTrue(Duration.between(b.time(), st.firstData(3).time()).toMillis() >= 100, "stream 3 waited in the client's kernel");
    }
}

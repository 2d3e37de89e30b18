package org.wirelab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.display.SelfCheck;
import org.wirelab.testing.Tools;

// Each experiment live, its self-checks, and nothing left behind afterwards.
class RealNetworkTest {

    private static Outcome live(java.util.function.Supplier<Outcome> experiment) {
        NetworkTest.requireNamespaces();
        Tools.require("tshark");
        Outcome o = experiment.get();
        assertTrue(o.live(), o.how());
        System.out.println(o);
        SelfCheck check = RealNetwork.check(o);
        System.out.println(check);
        return o;
    }

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Network.leftovers());
    }

    @Test
    void aLargeWriteBecomesMssSizedSegmentsAndTheBytesArriveInOrder() {
        Outcome o = live(RealNetwork::segments);
        assertTrue(RealNetwork.dataSegments(o, "router-rc", 9001).size() > RealNetwork.WRITES.length);
    }

    @Test
    void lostSegmentsAreRetransmittedAndEveryByteArrives() {
        Outcome o = live(RealNetwork::loss);
        assertEquals("203000 in-order", o.fact("server received (after the outage)"));
    }

    @Test
    void aSynFloodFillsTheHalfOpenQueueUnlessSynCookiesAreOn() {
        live(RealNetwork::synFlood);
    }

    @Test
    void crossingFinsTakeBothEndsThroughClosing() {
        live(RealNetwork::simultaneousClose);
    }

    @Test
    void theNatForgetsAnIdleConnectionAndKeepaliveKeepsOne() {
        live(RealNetwork::nat);
    }

    @Test
    void aBottleneckQueuesAndDropsAtItsTail() {
        live(RealNetwork::bottleneck);
    }
}

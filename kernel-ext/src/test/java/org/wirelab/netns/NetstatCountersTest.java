package org.wirelab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NetstatCountersTest {

    // /proc/net/netstat pairs a header line with a value line per group.
    private static final String BEFORE = """
            TcpExt: SyncookiesSent SyncookiesRecv ListenDrops TCPReqQFullDoCookies TCPReqQFullDrop
            TcpExt: 0 0 3 0 1
            IpExt: InNoRoutes
            IpExt: 0
            """;
    private static final String AFTER = """
            TcpExt: SyncookiesSent SyncookiesRecv ListenDrops TCPReqQFullDoCookies TCPReqQFullDrop
            TcpExt: 23 1 39 23 37
            IpExt: InNoRoutes
            IpExt: 0
            """;

    @Test
    void theSynFloodCountersAreReadAsChangesBetweenTwoReadings() {
        assertEquals("TCPReqQFullDrop +36, TCPReqQFullDoCookies +23, ListenDrops +36, SyncookiesSent +23, SyncookiesRecv +1",
                RealNetwork.diff(BEFORE, AFTER));
    }
}

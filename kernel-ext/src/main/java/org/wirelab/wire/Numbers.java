package org.wirelab.wire;

/**
 * Assigned numbers a capture file and its headers carry, named as their registries name them.
 *
 * <pre>
 *   pcap global header, bytes 20..23: 01 00 00 00   LinkType.ETHERNET (little endian)
 *   Ethernet bytes 12..13:            08 00         EtherType.IPV4
 *   IPv4 byte 9:                      06            IpProtocol.TCP
 *   TCP option:                       02 04 05 b4   TcpOptionKind.MSS, 1460
 * </pre>
 */
public final class Numbers {

    private Numbers() {
    }

    /** LINKTYPE_ values of pcap and pcapng (tcpdump.org's link-layer header types). */
    public static final class LinkType {
        /** {@value}: BSD loopback, a 4-byte address family in host order. */
        public static final int NULL = 0x00;
        /** {@value}: Ethernet II, what Linux's {@code lo} gives. */
        public static final int ETHERNET = 0x01;
        /** {@value}: raw IP (some BSDs). */
        public static final int RAW_BSD = 0x0c;
        /** {@value}: raw IP (OpenBSD). */
        public static final int RAW_OPENBSD = 0x0e;
        /** {@value}: raw IPv4 or IPv6, version taken from the first nibble. */
        public static final int RAW = 0x65;
        /** {@value}: Linux cooked capture v1 (SLL), {@code -i any}. */
        public static final int LINUX_SLL = 0x71;
        /** {@value}: raw IPv4. */
        public static final int IPV4 = 0xe4;
        /** {@value}: raw IPv6. */
        public static final int IPV6 = 0xe5;
        /** {@value}: Linux cooked capture v2 (SLL2). */
        public static final int LINUX_SLL2 = 0x114;

        private LinkType() {
        }
    }

    /** Ethernet type field values (IEEE 802 numbers). */
    public static final class EtherType {
        /** {@value}: IPv4 (RFC 894). */
        public static final int IPV4 = 0x0800;
        /** {@value}: IPv6 (RFC 2464). */
        public static final int IPV6 = 0x86dd;

        private EtherType() {
        }
    }

    /** IANA protocol numbers: IPv4's protocol field, IPv6's next header. */
    public static final class IpProtocol {
        /** {@value}: TCP (RFC 9293). */
        public static final int TCP = 0x06;
        /** {@value}: UDP (RFC 768). */
        public static final int UDP = 0x11;

        private IpProtocol() {
        }
    }

    /** TCP option kinds (RFC 9293 §3.2 and IANA's TCP parameters). */
    public static final class TcpOptionKind {
        /** {@value}: end of option list. */
        public static final int EOL = 0x00;
        /** {@value}: no-operation, padding between options. */
        public static final int NOP = 0x01;
        /** {@value}: maximum segment size (RFC 9293 §3.7.1). */
        public static final int MSS = 0x02;
        /** {@value}: window scale (RFC 7323 §2). */
        public static final int WINDOW_SCALE = 0x03;
        /** {@value}: SACK permitted (RFC 2018). */
        public static final int SACK_PERMITTED = 0x04;
        /** {@value}: SACK (RFC 2018). */
        public static final int SACK = 0x05;
        /** {@value}: timestamps (RFC 7323 §3). */
        public static final int TIMESTAMPS = 0x08;
        /** {@value}: TCP Fast Open cookie (RFC 7413 §4.1.1). */
        public static final int FAST_OPEN = 0x22;

        private TcpOptionKind() {
        }
    }
}

package org.wirelab.wire;

/**
 * The TCP control bits (RFC 9293 §3.1, AE from RFC 9768), as the low 9 bits of the header's
 * 13th and 14th bytes, with Wireshark's names in its order ({@code FIN, SYN, RST, PSH, ACK, URG,
 * ECE, CWR}).
 *
 * <pre>
 *   a0 02   data offset 10 words, flags 0x002: SYN
 *   50 12   data offset 5 words, flags 0x012: SYN, ACK
 * </pre>
 */
public final class TcpFlags {

    /** {@value}: tcp.flags.fin, no more data from the sender. */
    public static final int FIN = 0x01;
    /** {@value}: tcp.flags.syn, synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** {@value}: tcp.flags.reset. */
    public static final int RST = 0x04;
    /** {@value}: tcp.flags.push. */
    public static final int PSH = 0x08;
    /** {@value}: tcp.flags.ack, the acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** {@value}: tcp.flags.urg. */
    public static final int URG = 0x20;
    /** {@value}: tcp.flags.ece, ECN-Echo (RFC 3168). */
    public static final int ECE = 0x40;
    /** {@value}: tcp.flags.cwr, congestion window reduced (RFC 3168). */
    public static final int CWR = 0x80;
    /** {@value}: tcp.flags.ae, accurate ECN (RFC 9768). */
    public static final int AE = 0x100;

    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
    private static final String[] FILTER_NAMES = {"fin", "syn", "reset", "push", "ack", "urg", "ece", "cwr", "ae"};

    private TcpFlags() {
    }

    /** The set flags as Wireshark's info column lists them, e.g. {@code "SYN, ACK"}; empty for none. */
    public static String text(int flags) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                s.append(s.length() == 0 ? "" : ", ").append(NAMES[i]);
            }
        }
        return s.toString();
    }

    /** The display-filter name of the flag at {@code bit} (0 = FIN .. 8 = AE), e.g. {@code "reset"} for 2. */
    public static String filterName(int bit) {
        return FILTER_NAMES[bit];
    }
}

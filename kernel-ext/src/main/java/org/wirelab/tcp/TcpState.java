package org.wirelab.tcp;

/**
 * A TCP connection state as Linux reports it in the {@code st} column of {@code /proc/net/tcp}:
 * the codes of {@code include/net/tcp_states.h}, with the RFC 9293 §3.3.2 name beside them.
 *
 * <pre>
 *   sl  local_address rem_address   st ...
 *    0: 0100007F:1F90 00000000:0000 0A ...    127.0.0.1:8080 LISTEN
 * </pre>
 */
public enum TcpState {
    /** {@code 0x01}: data flows both ways. */
    ESTABLISHED(0x01, "ESTABLISHED"),
    /** {@code 0x02}: SYN sent, waiting for the SYN-ACK (a client whose SYN is dropped stays here). */
    SYN_SENT(0x02, "SYN-SENT"),
    /** {@code 0x03}: SYN received and SYN-ACK sent, waiting for the ACK (full socket, e.g. fast open). */
    SYN_RECV(0x03, "SYN-RECEIVED"),
    /** {@code 0x04}: FIN sent, not yet ACKed. */
    FIN_WAIT1(0x04, "FIN-WAIT-1"),
    /** {@code 0x05}: own FIN ACKed, waiting for the peer's FIN (half-closed). */
    FIN_WAIT2(0x05, "FIN-WAIT-2"),
    /** {@code 0x06}: both FINs done; the side that closed first waits 2 MSL (Linux: 60 s). */
    TIME_WAIT(0x06, "TIME-WAIT"),
    /** {@code 0x07}: closed; wirelab also uses it when a connection leaves the table. */
    CLOSE(0x07, "CLOSED"),
    /** {@code 0x08}: the peer's FIN received; the application has not closed yet. */
    CLOSE_WAIT(0x08, "CLOSE-WAIT"),
    /** {@code 0x09}: own FIN sent after the peer's, waiting for its ACK. */
    LAST_ACK(0x09, "LAST-ACK"),
    /** {@code 0x0A}: a listening socket. */
    LISTEN(0x0A, "LISTEN"),
    /** {@code 0x0B}: both sides sent FIN at the same time. */
    CLOSING(0x0B, "CLOSING"),
    /** {@code 0x0C}: a request socket (SYN received, SYN-ACK sent) not yet a full socket; RFC 9293's SYN-RECEIVED. */
    NEW_SYN_RECV(0x0C, "SYN-RECEIVED");

    private final int code;
    private final String rfcName;

    TcpState(int code, String rfcName) {
        this.code = code;
        this.rfcName = rfcName;
    }

    /** The {@code st} code of {@code /proc/net/tcp}, e.g. {@code 0x0A} for LISTEN. */
    public int code() {
        return code;
    }

    /** The RFC 9293 name, e.g. {@code "SYN-SENT"}. */
    public String rfcName() {
        return rfcName;
    }

    /** The state with {@code st} code {@code code}, e.g. {@code of(0x01)} is ESTABLISHED. */
    public static TcpState of(int code) {
        for (TcpState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException(String.format("unknown TCP state code 0x%02X (tcp_states.h knows 0x01..0x0C)", code));
    }
}

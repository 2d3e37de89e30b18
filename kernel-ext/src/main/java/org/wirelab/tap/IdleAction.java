package org.wirelab.tap;

/** What the tap does to a connection that has been silent for its idle timeout, like a middlebox. */
public enum IdleAction {
    /** Stop forwarding silently; both legs stay open, as a NAT that forgot the mapping. */
    DROP,
    /** Send RST to both sides (SO_LINGER 0 close on each leg), as a firewall that expires a flow. */
    RESET
}

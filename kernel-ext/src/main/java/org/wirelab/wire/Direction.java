package org.wirelab.wire;

/** Which way bytes travel on one TCP connection, as in Wireshark's follow-stream colours. */
public enum Direction {
    /** Client to server, e.g. the HTTP request; drawn in red like Wireshark's first speaker. */
    CLIENT_TO_SERVER("client → server"),
    /** Server to client, e.g. the 101 response; drawn in blue. */
    SERVER_TO_CLIENT("server → client");

    private final String arrow;

    Direction(String arrow) {
        this.arrow = arrow;
    }

    /** The other way. */
    public Direction reverse() {
        return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
    }

    @Override
    public String toString() {
        return arrow;
    }
}

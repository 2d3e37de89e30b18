package org.wirelab.lifecycle;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong inside a server's Netty handlers, kept so that the server's {@code toString()}
 * can say it instead of the handler closing the connection silently, e.g.
 * {@code 1 failure: 127.0.0.1:51234 java.io.IOException: Connection reset by peer}. Keeps the first
 * {@value #KEPT} and counts the rest.
 */
public final class Failures {

    /** {@value}: failures kept with their text; later ones are only counted. */
    public static final int KEPT = 5;

    private final List<String> kept = new ArrayList<>();
    private int count;

    /** Records that {@code cause} ended the work on {@code channel}'s connection. */
    public synchronized void add(Channel channel, Throwable cause) {
        count++;
        if (kept.size() < KEPT) {
            Object peer = channel == null ? null : channel.remoteAddress();
            kept.add((peer == null ? "" : peer.toString().replaceFirst("^[^/]*/", "") + " ") + cause);
        }
    }

    /** How many failures were recorded, e.g. {@code 0}. */
    public synchronized int count() {
        return count;
    }

    /** The kept failures, oldest first, e.g. {@code ["127.0.0.1:51234 java.io.IOException: Connection reset by peer"]}. */
    public synchronized List<String> list() {
        return List.copyOf(kept);
    }

    /** Empty when none, else {@code ", 1 failure: ..."} to append to a server's one-line summary. */
    @Override
    public synchronized String toString() {
        if (count == 0) {
            return "";
        }
        return ", " + count + (count == 1 ? " failure: " : " failures: ") + String.join("; ", kept)
                + (count > kept.size() ? "; ..." : "");
    }
}

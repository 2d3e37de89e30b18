package org.wirelab.lifecycle;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What a server refused (a 400, 408, 426 or 503 and why), kept so that its {@code refusals()} and
 * {@code toString()} can say it, e.g. {@code 2 refused, last: connection 3: 408, no complete head
 * within 10000 ms}. Keeps the last {@value #KEPT} and counts them all, so a flood cannot grow it.
 */
public final class Refusals {

    /** {@value}: refusals kept with their text, newest last; older ones are only counted. */
    public static final int KEPT = 1000;

    private final ArrayDeque<String> kept = new ArrayDeque<>();
    private long count;

    /** Records one refusal, e.g. {@code "connection 1: 400, missing Host"}. */
    public synchronized void add(String what) {
        count++;
        if (kept.size() == KEPT) {
            kept.removeFirst();
        }
        kept.addLast(what);
    }

    /** How many were refused so far, e.g. {@code 3}. */
    public synchronized long count() {
        return count;
    }

    /** The kept refusals, oldest first. */
    public synchronized List<String> list() {
        return List.copyOf(kept);
    }

    /** Empty when none, else {@code ", 3 refused, last: ..."} to append to a server's one-line summary. */
    @Override
    public synchronized String toString() {
        return kept.isEmpty() ? "" : ", " + count + " refused, last: " + kept.getLast();
    }
}

package org.wirelab.lifecycle;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one way kernel-ext waits for something a peer sends: bounded by a timeout and ended by an
 * interrupt, which is all JJava's interrupt does to a cell's thread. Both end in an exception that
 * says what was awaited, e.g. {@code no HTTP request arrived within 5000 ms}.
 */
public final class Waits {

    private Waits() {
    }

    /** The head of {@code queue}, waiting at most {@code timeout} for it; {@code what} names it, e.g. {@code "HTTP request"}. */
    public static <T> T take(BlockingQueue<T> queue, Duration timeout, String what) {
        try {
            T item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new IllegalStateException("no " + what + " arrived within " + timeout.toMillis() + " ms");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next " + what, e);
        }
    }
}

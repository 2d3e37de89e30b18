package org.wirelab.lifecycle;

/**
 * Something a cell starts that goes on by itself while the reader reads: a sampler of the kernel's
 * TCP table, a running packet capture, clients retransmitting their SYNs, a scheduled sender. It
 * goes on until it is stopped or closed, or its cell runs again, never on a timer; {@link Lifecycle#open()}
 * lists the ones still active.
 *
 * <pre>{@code
 * var watch = TcpStates.watch(Duration.ofMillis(2), 8080);   // an Activity: active() until watch.stop()
 * }</pre>
 */
public interface Activity extends AutoCloseable {

    /** Whether it is still going on. */
    boolean active();
}

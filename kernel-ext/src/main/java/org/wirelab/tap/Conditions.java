package org.wirelab.tap;

import org.wirelab.wire.Direction;
import java.time.Duration;
import java.util.Locale;

/**
 * Network conditions of one direction through a {@link Tap}: latency with jitter, a bandwidth
 * limit, and slicing of writes into small segments. Changes apply to bytes read after the call,
 * also while traffic flows; the byte order of the TCP stream is always preserved. Default: none.
 *
 * <pre>{@code
 * tap.downstream().latency(Duration.ofMillis(50), Duration.ofMillis(20));
 * tap.upstream().slice(1, Duration.ofMillis(5));   // the request leaves one byte at a time
 * }</pre>
 */
public final class Conditions {

    /** One consistent set of settings, swapped as a whole. */
    record Settings(long latencyNanos, long jitterNanos, long bytesPerSecond, int sliceBytes, long slicePauseNanos) {
        static final Settings NONE = new Settings(0, 0, 0, 0, 0);

        boolean none() {
            return latencyNanos == 0 && jitterNanos == 0 && bytesPerSecond == 0 && sliceBytes == 0;
        }
    }

    private final Direction direction;
    private volatile Settings settings = Settings.NONE;

    Conditions(Direction direction) {
        this.direction = direction;
    }

    Settings settings() {
        return settings;
    }

    /** Delays every write by {@code delay}, e.g. {@code Duration.ofMillis(50)}; default zero. */
    public Conditions latency(Duration delay) {
        return latency(delay, Duration.ZERO);
    }

    /**
     * Delays every write by {@code delay} plus a random {@code 0..jitter}, e.g. 50 ms and 20 ms; a
     * later write never overtakes an earlier one (TCP keeps order, so jitter only spreads gaps).
     */
    public Conditions latency(Duration delay, Duration jitter) {
        requireNotNegative(delay, "latency");
        requireNotNegative(jitter, "jitter");
        Settings s = settings;
        settings = new Settings(delay.toNanos(), jitter.toNanos(), s.bytesPerSecond, s.sliceBytes, s.slicePauseNanos);
        return this;
    }

    /** Limits this direction to {@code bytesPerSecond}, e.g. {@code 16_384}; 0 removes the limit (default). */
    public Conditions bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth must be >= 0 bytes per second, was " + bytesPerSecond);
        }
        Settings s = settings;
        settings = new Settings(s.latencyNanos, s.jitterNanos, bytesPerSecond, s.sliceBytes, s.slicePauseNanos);
        return this;
    }

    /**
     * Splits each write into pieces of at most {@code maxBytes} sent {@code pause} apart, each its own
     * TCP segment (TCP_NODELAY is on); e.g. {@code slice(1, Duration.ofMillis(5))}. 0 bytes turns it off.
     */
    public Conditions slice(int maxBytes, Duration pause) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("slice size must be >= 0 bytes, was " + maxBytes);
        }
        requireNotNegative(pause, "slice pause");
        Settings s = settings;
        settings = new Settings(s.latencyNanos, s.jitterNanos, s.bytesPerSecond, maxBytes, maxBytes == 0 ? 0 : pause.toNanos());
        return this;
    }

    /** Removes every condition of this direction: bytes pass as soon as they are read. */
    public Conditions clear() {
        settings = Settings.NONE;
        return this;
    }

    /** The direction these conditions shape, e.g. client → server for {@code tap.upstream()}. */
    public Direction direction() {
        return direction;
    }

    /** E.g. {@code client → server: latency 50 ms ± 20 ms, 16 KiB/s, slices of 1 B every 5 ms}. */
    @Override
    public String toString() {
        Settings s = settings;
        if (s.none()) {
            return direction + ": no conditions";
        }
        StringBuilder out = new StringBuilder(direction.toString()).append(':');
        String sep = " ";
        if (s.latencyNanos > 0 || s.jitterNanos > 0) {
            out.append(sep).append("latency ").append(ms(s.latencyNanos));
            if (s.jitterNanos > 0) {
                out.append(" ± ").append(ms(s.jitterNanos));
            }
            sep = ", ";
        }
        if (s.bytesPerSecond > 0) {
            out.append(sep).append(Preview.size(s.bytesPerSecond)).append("/s");
            sep = ", ";
        }
        if (s.sliceBytes > 0) {
            out.append(sep).append("slices of ").append(s.sliceBytes).append(" B every ").append(ms(s.slicePauseNanos));
        }
        return out.toString();
    }

    private static String ms(long nanos) {
        double ms = nanos / 1e6;
        return (ms == Math.rint(ms) ? String.valueOf((long) ms) : String.format(Locale.ROOT, "%.3f", ms)) + " ms";
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, was " + d);
        }
    }
}

package org.wirelab.display;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Live output: shows a {@link Rich} object now and replaces it later in place, through the
 * kernel's display ids. Outside a kernel (tests, the command line) the calls only remember the
 * last bundle shown, so the same code runs everywhere.
 *
 * <pre>{@code
 * var live = Display.show(conversation);   // drawn now
 * live.update(conversation);               // redrawn in the same output area
 * }</pre>
 */
public final class Display {

    /** Where bundles go; a kernel adapter installs one, see {@link #install(Sink)}. */
    public interface Sink {
        /** Shows a bundle under a display id; {@code update} replaces an earlier one. */
        void display(Map<String, Object> bundle, String displayId, boolean update);
    }

    private static volatile Sink sink = (bundle, id, update) -> { };

    private final String id;
    private volatile Map<String, Object> last;

    private Display(String id) {
        this.id = id;
    }

    /** Installs the kernel's sink; called once by a kernel adapter. */
    public static void install(Sink kernelSink) {
        sink = Objects.requireNonNull(kernelSink, "sink");
    }

    /** Shows {@code view} now and returns a handle that can redraw it. */
    public static Display show(Rich view) {
        Display d = new Display("wirelab-" + UUID.randomUUID());
        d.emit(view, false);
        return d;
    }

    /** Replaces what this handle showed with {@code view}. */
    public void update(Rich view) {
        emit(view, true);
    }

    /** The display id, e.g. {@code wirelab-3f2a...}. */
    public String id() {
        return id;
    }

    /** The bundle shown last; empty before the first one. */
    public java.util.Optional<Map<String, Object>> last() {
        return java.util.Optional.ofNullable(last);
    }

    private void emit(Rich view, boolean update) {
        Map<String, Object> bundle = view.mimeBundle();
        last = bundle;
        sink.display(bundle, id, update);
    }
}

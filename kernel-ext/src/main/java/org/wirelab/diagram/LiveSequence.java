package org.wirelab.diagram;

import java.time.Instant;
import java.util.Map;
import org.wirelab.display.Display;
import org.wirelab.display.Rich;

/**
 * A sequence diagram that fills in while traffic flows: shown once, then redrawn in the same
 * output area (through {@link Display} ids) after every message, e.g. a WebSocket conversation.
 *
 * <pre>{@code
 * var live = LiveSequence.show("client", "server");
 * live.message("client", "server", "text \"Hello\" (11 bytes)", Instant.now());
 * }</pre>
 */
public final class LiveSequence implements Rich {

    private final SequenceDiagram.Builder builder = SequenceDiagram.newBuilder();
    private final Display display;

    private LiveSequence(String... participants) {
        for (String p : participants) {
            builder.participant(p);
        }
        this.display = Display.show(snapshot());
    }

    /** Shows an empty diagram with these lifelines, e.g. {@code show("client", "server")}. */
    public static LiveSequence show(String... participants) {
        return new LiveSequence(participants);
    }

    /** Appends a message and redraws, e.g. {@code message("server", "client", "pong", t)}. */
    public LiveSequence message(String from, String to, String label, Instant time) {
        return message(from, to, label, time, null);
    }

    /** Appends a message on a named connection and redraws. */
    public LiveSequence message(String from, String to, String label, Instant time, String connection) {
        SequenceDiagram now;
        synchronized (builder) {
            builder.message(from, to, label, time, connection);
            now = builder.build();
        }
        display.update(now);
        return this;
    }

    /** Appends a note over one participant and redraws, e.g. {@code note("server", "closing")}. */
    public LiveSequence note(String over, String text) {
        SequenceDiagram now;
        synchronized (builder) {
            builder.note(over, text);
            now = builder.build();
        }
        display.update(now);
        return this;
    }

    /** The diagram as it stands now. */
    public SequenceDiagram snapshot() {
        synchronized (builder) {
            return builder.build();
        }
    }

    /** The display handle, e.g. to read {@code display().id()}. */
    public Display display() {
        return display;
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return snapshot().mimeBundle();
    }

    /**
     * Shows what {@code tap} records as {@link SequenceDiagram#of(org.wirelab.tap.Recording)} draws
     * it, and redraws it in place after every event the tap sees (connect, data, FIN, RST), e.g.
     * {@code LiveSequence.follow(tap)} before a WebSocket conversation; returns the display handle.
     */
    public static Display follow(org.wirelab.tap.Tap tap) {
        Display live = Display.show(SequenceDiagram.of(tap.recording()));
        tap.onEvent(e -> live.update(SequenceDiagram.of(tap.recording())));
        return live;
    }
}

package org.wirelab.diagram;

import java.util.Optional;
import org.wirelab.display.Rich;
import org.wirelab.display.Views;
import org.wirelab.dissect.PacketCapture;
import org.wirelab.tcp.TcpStateHistory;

/**
 * The views this package draws of models below it, found by {@link Views#of}: {@code "diagram"}
 * of a {@link PacketCapture} ({@link SequenceDiagram#of}) and {@code "timeline"} of a
 * {@link TcpStateHistory} ({@link Timeline#of}).
 */
public final class DiagramViews implements Views {

    @Override
    public Optional<Rich> draw(String name, Object model) {
        if (name.equals("diagram") && model instanceof PacketCapture capture) {
            return Optional.of(SequenceDiagram.of(capture));
        }
        if (name.equals("timeline") && model instanceof TcpStateHistory history) {
            return Optional.of(Timeline.of(history));
        }
        return Optional.empty();
    }
}

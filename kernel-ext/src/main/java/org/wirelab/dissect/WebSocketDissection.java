package org.wirelab.dissect;

import java.util.List;

/**
 * WebSocket frames (RFC 6455 §5.2) plus the messages they carry once fragments are joined (§5.4).
 *
 * <pre>
 *   01 03 48 65 6c  80 02 6c 6f   two frames, one TEXT message "Hello"
 * </pre>
 */
public final class WebSocketDissection extends Dissection {

    private final List<WebSocketMessage> messages;

    WebSocketDissection(byte[] bytes, List<Field> fields, List<Problem> problems, List<WebSocketMessage> messages) {
        super("websocket", bytes, fields, problems);
        this.messages = List.copyOf(messages);
    }

    /** Complete messages in order, fragments joined; e.g. one TEXT "Hello" for 01 03 48 65 6c 80 02 6c 6f. */
    public List<WebSocketMessage> messages() {
        return messages;
    }

    /**
     * Frame {@code number} on its own, counted from 1 like Wireshark's frame numbers, offsets from its
     * first byte, e.g. {@code frame(1)} is {@code 81 05 48 65 6c 6c 6f}; fails naming how many there are.
     */
    public WebSocketDissection frame(int number) {
        List<Field> frames = fields();
        if (number < 1 || number > frames.size()) {
            throw new IndexOutOfBoundsException("frame " + number + " asked for, but these bytes hold " + frames.size()
                    + " frame" + (frames.size() == 1 ? "" : "s") + (frames.isEmpty() ? "" : ", numbered from 1"));
        }
        Field f = frames.get(number - 1);
        return Dissect.websocket(java.util.Arrays.copyOfRange(bytes(), f.offset(), f.end()));
    }
}

package org.wirelab.diagram;

import org.wirelab.wire.Printable;
import org.wirelab.wire.HttpHead;
import org.wirelab.wire.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.tap.Connection;
import org.wirelab.wire.Direction;
import org.wirelab.tap.TapEvent;

/**
 * Short labels for what a tap saw, in protocol terms: the first line of an HTTP message, the
 * frames of a WebSocket chunk, or a preview of other bytes.
 */
final class WireLabels {

    private static final int PREVIEW = 24;

    // Per connection and direction: the stream offset where WebSocket frames start, or -1 (no upgrade).
    private final Map<String, Long> handover = new HashMap<>();

    String label(Connection c, TapEvent e) {
        byte[] bytes = e.bytes();
        if (!e.complete()) {
            return e.length() + " bytes (not all kept)";
        }
        Direction d = e.direction().orElseThrow();
        long start = handover.computeIfAbsent(c.id() + "/" + d, k -> handover(c, d));
        if (start >= 0 && e.offset() >= start) {
            String frames = frames(bytes);
            if (frames != null) {
                return frames;
            }
        } else if (HttpHead.startsLikeHttp(bytes)) {
            return messages(bytes);
        }
        return preview(bytes);
    }

    // After "101 Switching Protocols", both directions carry frames from the end of their first head.
    private static long handover(Connection c, Direction d) {
        String response = ascii(c.stream(Direction.SERVER_TO_CLIENT), 256);
        if (!response.startsWith("HTTP/1.1 101")) {
            return -1;
        }
        return HttpHead.endOfHead(c.stream(d));
    }

    static String frames(byte[] bytes) {
        Dissection d = Dissect.websocket(bytes);
        if (!d.problems().isEmpty() || d.fields().isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Field frame : d.fields()) {
            StringBuilder s = new StringBuilder(frame.value());
            List<Field> inside = new ArrayList<>();
            flatten(frame, inside);
            inside.stream().filter(f -> f.name().equals("websocket.payload.text")).findFirst()
                    .ifPresent(t -> s.append(" \"").append(clip(t.value())).append('"'));
            inside.stream().filter(f -> f.name().equals("websocket.payload.close.status_code")).findFirst()
                    .ifPresent(code -> s.append(' ').append(code.value()));
            s.append(" (").append(frame.length()).append(" B)");
            parts.add(s.toString());
        }
        return String.join("; ", parts);
    }

    private static void flatten(Field f, List<Field> out) {
        out.add(f);
        f.children().forEach(c -> flatten(c, out));
    }

    /**
     * Each HTTP message that starts in a chunk by its first line and size: one read can carry two
     * pipelined requests or two responses, e.g. {@code GET /delay/300 HTTP/1.1 (49 bytes); GET /fast HTTP/1.1 (49 bytes)}.
     */
    static String messages(byte[] bytes) {
        List<Field> messages = Dissect.http(bytes).fields().stream().filter(f -> f.name().equals("http")).toList();
        if (messages.size() < 2) {
            return firstLine(bytes) + " (" + bytes.length + " bytes)";
        }
        List<String> parts = new ArrayList<>();
        int end = 0;
        for (Field m : messages) {
            parts.add(firstLine(java.util.Arrays.copyOfRange(bytes, m.offset(), m.end())) + " (" + m.length() + " bytes)");
            end = Math.max(end, m.end());
        }
        if (end < bytes.length) {
            parts.add((bytes.length - end) + " more bytes");
        }
        return String.join("; ", parts);
    }

    static String firstLine(byte[] b) {
        String head = ascii(b, 200);
        int end = head.indexOf("\r\n");
        return clip(end < 0 ? head : head.substring(0, end));
    }

    static String preview(byte[] b) {
        int n = Math.min(b.length, PREVIEW);
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            printable &= Printable.ascii(b[i]) || b[i] == '\r' || b[i] == '\n' || b[i] == '\t';
        }
        String shown = printable ? Printable.quoted(b, PREVIEW) : Hex.pairs(b, 0, Math.min(b.length, 8), " ") + (b.length > 8 ? "…" : "");
        return shown + " (" + b.length + " bytes)";
    }

    private static String ascii(byte[] b, int max) {
        return new String(b, 0, Math.min(b.length, max), StandardCharsets.ISO_8859_1);
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }
}

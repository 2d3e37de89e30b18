package org.wirelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DisplayTest {

    @AfterEach
    void quiet() {
        Display.install((bundle, id, update) -> { });
    }

    @Test
    void updateGoesToTheSameDisplayId() {
        List<String> sent = new ArrayList<>();
        Display.install((bundle, id, update) -> sent.add((update ? "update " : "show ") + id + " " + bundle.get("text/plain")));
        Display live = Display.show(() -> Map.of("text/plain", "1 frame"));
        live.update(() -> Map.of("text/plain", "2 frames"));
        assertEquals(List.of("show " + live.id() + " 1 frame", "update " + live.id() + " 2 frames"), sent);
        assertEquals(java.util.Optional.of(Map.of("text/plain", "2 frames")), live.last());
    }
}

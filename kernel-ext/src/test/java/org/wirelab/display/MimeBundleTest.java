package org.wirelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MimeBundleTest {

    @Test
    void keepsTheOrderTheTypesWereAddedIn() {
        Map<String, Object> bundle = MimeBundle.text("t").html("<b>h</b>").mermaid("sequenceDiagram").build();
        assertEquals(List.of("text/plain", "text/html", "text/vnd.mermaid"), List.copyOf(bundle.keySet()));
    }

    @Test
    void builtBundleCannotBeChanged() {
        Map<String, Object> bundle = MimeBundle.text("t").build();
        assertThrows(UnsupportedOperationException.class, () -> bundle.put("text/html", "x"));
    }
}

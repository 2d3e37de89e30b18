package org.wirelab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewGalleryTest {

    @Test
    void writesBothPagesWithEveryViewInBothThemes() throws Exception {
        List<Path> pages = ViewGallery.write(Path.of("target/gallery"));
        String trusted = Files.readString(pages.get(0));
        String untrusted = Files.readString(pages.get(1));
        assertTrue(trusted.contains(".wl-hex, .wl-stream, .wl-msg {"));
        assertFalse(untrusted.contains(".wl-hex, .wl-stream, .wl-msg {"));
        for (String page : List.of(trusted, untrusted)) {
            assertFalse(page.contains("<script"), "no view may emit a script element");
            for (String caption : ViewGallery.views().keySet()) {
                assertEquals(2, page.split(java.util.regex.Pattern.quote("<h3>" + caption.replace("→", "→") + "</h3>"), -1).length - 1,
                        caption);
            }
        }
    }
}

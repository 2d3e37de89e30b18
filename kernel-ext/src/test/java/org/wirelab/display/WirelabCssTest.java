package org.wirelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WirelabCssTest {

    @Test
    void everyRuleIsScopedToWirelabClasses() {
        Matcher m = Pattern.compile("([^{}]+)\\{[^}]*}").matcher(WirelabCss.css());
        int rules = 0;
        while (m.find()) {
            rules++;
            for (String selector : m.group(1).split(",")) {
                assertTrue(selector.trim().startsWith(".wl-"), "unscoped selector: " + selector.trim());
            }
        }
        assertTrue(rules > 10);
    }

    @Test
    void everyJupyterVariableHasAFallback() {
        Matcher m = Pattern.compile("var\\((--[a-z0-9-]+)([^)]*)\\)").matcher(WirelabCss.css());
        while (m.find()) {
            assertTrue(m.group(1).startsWith("--jp-"), m.group());
            assertTrue(m.group(2).startsWith(", "), "no fallback: " + m.group());
        }
    }

    @Test
    void pointingAtATreeLineOutlinesItsFieldsBytes() {
        String css = WirelabCss.css();
        assertTrue(css.contains(".wl-msg:has(.wl-t0:hover) .wl-h0,\n"), css);
        assertTrue(css.contains(".wl-msg:has(.wl-t" + (WirelabCss.HOVER_FIELDS - 1) + ":hover) .wl-h" + (WirelabCss.HOVER_FIELDS - 1)
                + " { outline: 2px solid var(--jp-content-font-color1, #111); }\n"), css);
    }

    @Test
    void styleElementWrapsTheSheetOnce() {
        assertEquals("<style>\n" + WirelabCss.css() + "</style>", WirelabCss.styleElement());
    }

    @Test
    void stylesheetRendersAsOneStyleElement() {
        java.util.Map<String, Object> bundle = WirelabCss.stylesheet().mimeBundle();
        assertEquals(WirelabCss.styleElement(), bundle.get("text/html"));
        org.junit.jupiter.api.Assertions.assertTrue(((String) bundle.get("text/plain")).startsWith("wirelab stylesheet ("));
    }
}

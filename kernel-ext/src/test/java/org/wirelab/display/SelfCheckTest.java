package org.wirelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelfCheckTest {

    @Test
    void passingClaimsPrintAPassMarkEach() {
        SelfCheck check = SelfCheck.of("one connection", true).and("status", 101, 101);
        assertEquals("✔ one connection\n✔ status (101)\n", check.toString());
        assertEquals(List.of("one connection", "status (101)"), check.passed());
    }

    @Test
    void aFailingClaimThrowsWithItsName() {
        AssertionError e = assertThrows(AssertionError.class, () -> SelfCheck.of("one connection", true).and("status", 101, 200));
        assertEquals("self-check failed: status: expected 101 but was 200", e.getMessage());
    }

    @Test
    void htmlEscapesTheClaim() {
        String html = (String) SelfCheck.of("a<b", true).mimeBundle().get(MimeBundle.HTML);
        assertEquals("<ul class=\"wl-selfcheck\"><li><span class=\"wl-pass\">✔</span> a&lt;b</li></ul>", html);
    }
}

package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant ms(double m) {
        return T0.plusNanos((long) (m * 1_000_000));
    }

    /** RFC 9293 §3.3.2 states of an active opener that closes first. */
    private static Timeline states() {
        return Timeline.newBuilder("TCP states")
                .interval("client", "SYN-SENT", ms(0), ms(1))
                .interval("client", "ESTABLISHED", ms(1), ms(8))
                .interval("client", "FIN-WAIT-1", ms(8), ms(9))
                .interval("server", "SYN-RECEIVED", ms(0.5), ms(1.5))
                .interval("server", "ESTABLISHED", ms(1.5), ms(8.5))
                .event("client", "FIN", ms(8))
                .build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void specIsValidVegaLiteWithBarsAndEvents() {
        Map<String, Object> spec = states().vegaLite();
        VegaLiteCheck.check(spec);
        List<Object> values = (List<Object>) ((Map<String, Object>) spec.get("data")).get("values");
        assertEquals(Map.of("lane", "server", "label", "ESTABLISHED", "colour", "ESTABLISHED", "start", 1.5, "end", 8.5,
                "kind", "interval"), values.get(4));
        assertEquals(Map.of("lane", "client", "label", "FIN", "colour", "FIN", "start", 8.0, "end", 8.0,
                "kind", "event"), values.get(5));
        List<Object> layers = (List<Object>) spec.get("layer");
        assertEquals("bar", ((Map<String, Object>) ((Map<String, Object>) layers.get(0)).get("mark")).get("type"));
    }

    @Test
    void duplexFlowsAreColouredByLane() {
        Timeline t = Timeline.newBuilder("half duplex")
                .flow("client → server", 78, ms(0), ms(0.2))
                .flow("server → client", 129, ms(0.4), ms(0.6))
                .build();
        VegaLiteCheck.check(t.vegaLite());
        String text = t.toString();
        assertTrue(text.contains("client → server [AAAAAAAAAAAAAAAAAAAA\n"), text);
        assertTrue(text.contains("server → client [" + " ".repeat(40) + "BBBBBBBBBBBBBBBBBBBB\n"), text);
        assertTrue(text.contains("  B = server → client\n"), text);
    }

    @Test
    void plainTextListsEveryItemWithTimes() {
        String text = states().toString();
        assertTrue(text.contains("server      1.500      8.500  ESTABLISHED\n"), text);
        assertTrue(text.contains("client      8.000             FIN\n"), text);
    }

    @Test
    void bundleHasVegaLiteSvgAndText() {
        Map<String, Object> b = states().mimeBundle();
        assertEquals(List.of(MimeBundle.TEXT, MimeBundle.VEGA_LITE, MimeBundle.SVG), List.copyOf(b.keySet()));
        String svg = (String) b.get(MimeBundle.SVG);
        assertTrue(svg.contains("<title>server: ESTABLISHED 1.500–8.500 ms</title>"), svg);
        assertTrue(svg.contains(">time since first (ms)</text>"), svg);
    }

    @Test
    void hostileLabelsAreEscaped() {
        String svg = (String) Timeline.newBuilder("<script>").event("<b>", "<i>", T0).build().mimeBundle().get(MimeBundle.SVG);
        assertFalse(svg.contains("<script") || svg.contains("<b>") || svg.contains("<i>"), svg);
    }

    @Test
    void endBeforeStartIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Timeline.newBuilder("t").interval("a", "ESTABLISHED", ms(2), ms(1)));
        assertTrue(e.getMessage().startsWith("ESTABLISHED: end "), e.getMessage());
    }

    @Test
    void fullTimelinesStayUnder200KB() {
        Timeline.Builder b = Timeline.newBuilder("many");
        for (int i = 0; i < Timeline.MAX_ITEMS; i++) {
            b.interval("lane " + (i % 7) + "y".repeat(80), "state " + "z".repeat(80) + i, ms(i), ms(i + 1));
        }
        assertThrows(IllegalStateException.class, () -> b.event("x", "y", T0));
        for (Object o : b.build().mimeBundle().values()) {
            assertTrue(o.toString().getBytes(StandardCharsets.UTF_8).length <= 200_000, "size");
        }
    }

    @Test
    void emptyTimelineIsStillValid() {
        Timeline t = Timeline.newBuilder("nothing yet").lane("client").build();
        VegaLiteCheck.check(t.vegaLite());
        assertTrue(t.mimeBundle().get(MimeBundle.SVG).toString().endsWith("</svg>"));
    }
}

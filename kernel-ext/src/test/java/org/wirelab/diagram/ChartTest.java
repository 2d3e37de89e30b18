package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;

class ChartTest {

    private static Chart latency() {
        return Chart.bar("Round trip by payload").x("payload").y("round trip", "ms")
                .add("64 B", "loopback", 0.21).add("64 B", "tap", 0.35)
                .add("64 KiB", "loopback", 0.9).add("64 KiB", "tap", 1.4);
    }

    @Test
    @SuppressWarnings("unchecked")
    void barChartIsValidVegaLiteWithAxisTitlesAndUnits() {
        Map<String, Object> spec = latency().vegaLite();
        VegaLiteCheck.check(spec);
        Map<String, Object> enc = (Map<String, Object>) spec.get("encoding");
        assertEquals("payload", ((Map<String, Object>) enc.get("x")).get("title"));
        assertEquals("round trip (ms)", ((Map<String, Object>) enc.get("y")).get("title"));
        assertEquals(Map.of("field", "series", "type", "nominal"), enc.get("xOffset"));
        assertEquals(Map.of("category", "64 KiB", "series", "tap", "value", 1.4),
                ((List<Object>) ((Map<String, Object>) spec.get("data")).get("values")).get(3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void lineAndScatterAreValidVegaLite() {
        Chart line = Chart.line("Window").x("time", "s").y("window", "bytes").add("client", 0, 65535).add("client", 1, 131072);
        Chart dots = Chart.scatter("Latency").x("size", "bytes").y("latency", "ms").add("netty", 64, 0.2);
        VegaLiteCheck.check(line.vegaLite());
        VegaLiteCheck.check(dots.vegaLite());
        assertEquals(Map.of("type", "line", "point", true, "tooltip", true), line.vegaLite().get("mark"));
        assertEquals("point", ((Map<String, Object>) dots.vegaLite().get("mark")).get("type"));
    }

    @Test
    void plainTextIsATable() {
        assertEquals("""
                Round trip by payload
                payload  series    round trip (ms)
                64 B     loopback             0.21
                64 B     tap                  0.35
                64 KiB   loopback              0.9
                64 KiB   tap                   1.4
                """, latency().toString());
    }

    @Test
    void bundleHasVegaLiteSvgAndTextButNoHtml() {
        Map<String, Object> b = latency().mimeBundle();
        assertEquals(List.of(MimeBundle.TEXT, MimeBundle.VEGA_LITE, MimeBundle.SVG), List.copyOf(b.keySet()));
        String svg = (String) b.get(MimeBundle.SVG);
        assertTrue(svg.contains("<title>64 KiB, tap: 1.4 ms</title>"), svg);
        assertTrue(svg.contains(">round trip (ms)</text>"), svg);
        assertTrue(svg.contains(">payload</text>"), svg);
    }

    @Test
    void hostileNamesAreEscapedInSvg() {
        String svg = (String) Chart.bar("<script>x</script>").add("<img src=x>", "s", 1).mimeBundle().get(MimeBundle.SVG);
        assertFalse(svg.contains("<script") || svg.contains("<img"), svg);
    }

    @Test
    void wrongShapeOfDataIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Chart.bar("b").add("s", 1.0, 2.0));
        assertEquals("bar charts take add(category, series, value), e.g. add(\"64 B\", \"netty\", 0.21)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Chart.line("l").add("s", 1, Double.NaN));
    }

    @Test
    void fullChartsStayUnder200KB() {
        Chart c = Chart.scatter("many");
        for (int i = 0; i < Chart.MAX_POINTS; i++) {
            c.add("series " + "x".repeat(100) + (i % 10), i, i * 0.5);
        }
        assertThrows(IllegalStateException.class, () -> c.add("s", 1, 1));
        for (Object o : c.mimeBundle().values()) {
            assertTrue(o.toString().getBytes(StandardCharsets.UTF_8).length <= 200_000);
        }
    }

    @Test
    void emptyChartIsStillValid() {
        Chart c = Chart.line("nothing yet");
        VegaLiteCheck.check(c.vegaLite());
        assertTrue(c.mimeBundle().get(MimeBundle.SVG).toString().endsWith("</svg>"));
    }
}

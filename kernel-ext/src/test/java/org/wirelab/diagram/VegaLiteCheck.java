package org.wirelab.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural checks of a Vega-Lite v5 spec without fetching the schema: JSON types only, the v5
 * $schema URL, known top-level properties, mark types, encoding channels and field types, and
 * every encoded field present in the inline data (when there is any). The names come from the Vega-Lite v5 docs.
 */
final class VegaLiteCheck {

    static final Set<String> TOP = Set.of("$schema", "title", "description", "width", "height", "data", "mark",
            "encoding", "layer", "transform", "config", "autosize", "padding", "background");
    static final Set<String> UNIT = Set.of("mark", "encoding", "transform", "data", "title", "width", "height");
    static final Set<String> MARKS = Set.of("arc", "area", "bar", "circle", "line", "point", "rect", "rule",
            "square", "text", "tick", "trail");
    static final Set<String> CHANNELS = Set.of("x", "y", "x2", "y2", "xOffset", "yOffset", "color", "fill",
            "stroke", "opacity", "shape", "size", "text", "tooltip", "detail", "order");
    static final Set<String> TYPES = Set.of("quantitative", "temporal", "ordinal", "nominal");

    private VegaLiteCheck() {
    }

    @SuppressWarnings("unchecked")
    static void check(Map<String, Object> spec) {
        json(spec, "$");
        assertEquals("https://vega.github.io/schema/vega-lite/v5.json", spec.get("$schema"));
        for (String k : spec.keySet()) {
            assertTrue(TOP.contains(k), "unknown top-level property " + k);
        }
        List<Object> values = (List<Object>) ((Map<String, Object>) spec.get("data")).get("values");
        Set<String> fields = new HashSet<>();
        for (Object v : values) {
            fields.addAll(((Map<String, Object>) v).keySet());
        }
        if (spec.containsKey("layer")) {
            assertTrue(!spec.containsKey("mark"), "a layered spec has no top-level mark");
            for (Object layer : (List<Object>) spec.get("layer")) {
                Map<String, Object> unit = (Map<String, Object>) layer;
                for (String k : unit.keySet()) {
                    assertTrue(UNIT.contains(k), "unknown layer property " + k);
                }
                unit(unit, fields);
            }
        } else {
            unit(spec, fields);
        }
    }

    @SuppressWarnings("unchecked")
    private static void unit(Map<String, Object> unit, Set<String> fields) {
        Object mark = unit.get("mark");
        String type = mark instanceof Map<?, ?> m ? (String) m.get("type") : (String) mark;
        assertTrue(MARKS.contains(type), "unknown mark " + type);
        Map<String, Object> enc = (Map<String, Object>) unit.get("encoding");
        for (Map.Entry<String, Object> e : enc.entrySet()) {
            assertTrue(CHANNELS.contains(e.getKey()), "unknown channel " + e.getKey());
            List<Object> defs = e.getValue() instanceof List<?> l ? (List<Object>) l : List.of(e.getValue());
            for (Object d : defs) {
                Map<String, Object> def = (Map<String, Object>) d;
                if (def.containsKey("field") && !fields.isEmpty()) {
                    assertTrue(fields.contains((String) def.get("field")), "field " + def.get("field") + " not in data");
                }
                if (def.containsKey("type")) {
                    assertTrue(TYPES.contains((String) def.get("type")), "unknown type " + def.get("type"));
                } else if (!e.getKey().equals("x2") && !e.getKey().equals("y2") && !def.containsKey("value")) {
                    fail(e.getKey() + " needs a type");
                }
            }
        }
    }

    private static void json(Object o, String path) {
        if (o == null || o instanceof String || o instanceof Boolean) {
            return;
        }
        if (o instanceof Number n) {
            assertTrue(Double.isFinite(n.doubleValue()), path + " is not a finite number");
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertInstanceOf(String.class, e.getKey(), path);
                json(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                json(l.get(i), path + "[" + i + "]");
            }
            return;
        }
        fail(path + " is a " + o.getClass().getName() + ", not a JSON value");
    }
}

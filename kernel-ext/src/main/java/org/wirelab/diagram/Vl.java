package org.wirelab.diagram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Vega-Lite v5 specs as plain Java maps and lists, the shape the kernel turns into JSON. */
final class Vl {

    /** {@value} */
    static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

    private Vl() {
    }

    /** An ordered map of key, value pairs: {@code map("type", "bar", "tooltip", true)}. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static Map<String, Object> frozen(Map<String, Object> m) {
        return Collections.unmodifiableMap(m);
    }

    /** An axis title with its unit: {@code "latency (ms)"}, or just the name without one. */
    static String title(String name, String unit) {
        return unit == null || unit.isEmpty() ? name : name + " (" + unit + ")";
    }
}

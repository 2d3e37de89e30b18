package org.wirelab.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the MIME bundle a {@link Rich} object returns.
 *
 * <pre>{@code
 * MimeBundle.text("2 connections").html("<table class=\"wl-table\">...</table>").build()
 * }</pre>
 */
public final class MimeBundle {

    /** {@value}: plain text, shown by every front end. */
    public static final String TEXT = "text/plain";
    /** {@value}: HTML, sanitized by JupyterLab in untrusted notebooks. */
    public static final String HTML = "text/html";
    /** {@value}: drawn by JupyterLab 4.1+ with its own Mermaid. */
    public static final String MERMAID = "text/vnd.mermaid";
    /** {@value}: drawn by JupyterLab's built-in Vega renderer. */
    public static final String VEGA_LITE = "application/vnd.vegalite.v5+json";
    /** {@value}: a picture for front ends that draw neither Mermaid nor Vega. */
    public static final String SVG = "image/svg+xml";
    /** {@value}: machine-readable data. */
    public static final String JSON = "application/json";

    private final Map<String, Object> data = new LinkedHashMap<>();

    private MimeBundle(String text) {
        data.put(TEXT, text);
    }

    /** Starts a bundle with its {@code text/plain} form, e.g. {@code "81 05 48 65 6c 6c 6f"}. */
    public static MimeBundle text(String text) {
        return new MimeBundle(text);
    }

    /** Adds {@code text/html}. */
    public MimeBundle html(String html) {
        return with(HTML, html);
    }

    /** Adds {@code text/vnd.mermaid}, e.g. {@code "sequenceDiagram\n A->>B: SYN"}. */
    public MimeBundle mermaid(String source) {
        return with(MERMAID, source);
    }

    /** Adds a Vega-Lite v5 spec as a JSON-ready map. */
    public MimeBundle vegaLite(Map<String, Object> spec) {
        return with(VEGA_LITE, spec);
    }

    /** Adds any other MIME type. */
    public MimeBundle with(String mimeType, Object content) {
        data.put(mimeType, content);
        return this;
    }

    /** The finished, unmodifiable bundle; keys keep the order they were added in. */
    public Map<String, Object> build() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
}

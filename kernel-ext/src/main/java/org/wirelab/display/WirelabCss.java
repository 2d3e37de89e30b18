package org.wirelab.display;

/**
 * The one stylesheet of every wirelab view, for notebooks that inject it once.
 *
 * <p>Views already carry their essential colours inline (plain {@code rgba()} values that survive
 * JupyterLab's sanitizer), so they read well in untrusted notebooks; this stylesheet adds
 * theme-aware text colours, fonts and spacing from JupyterLab's CSS variables, each with a
 * fallback. A {@code <style>} element only takes effect in a trusted notebook.
 *
 * <pre>{@code
 * display(WirelabCss.styleElement());   // once, in the setup cell
 * }</pre>
 */
public final class WirelabCss {

    private static final String CSS = """
            .wl-hex, .wl-stream, .wl-msg {
              font-family: var(--jp-code-font-family, monospace);
              font-size: var(--jp-code-font-size, 13px);
              color: var(--jp-content-font-color1, #111);
            }
            .wl-hex table, .wl-stream table, .wl-msg table, .wl-legend {
              border-collapse: collapse;
              background: transparent;
            }
            .wl-hex td, .wl-hex th, .wl-stream td, .wl-msg td, .wl-legend td, .wl-legend th {
              padding: 0 6px;
              text-align: left;
              vertical-align: top;
              border: none;
              background: transparent;
            }
            .wl-hex tr:nth-child(odd), .wl-legend tr:nth-child(odd) { background: transparent; }
            .wl-off, .wl-meta { color: var(--jp-content-font-color2, #666); white-space: nowrap; }
            .wl-hexcol, .wl-ascii { white-space: pre; }
            .wl-b { border-radius: 2px; }
            .wl-b:hover { outline: 1px solid var(--jp-content-font-color1, #111); }
            .wl-problem { border-bottom: 2px solid var(--jp-error-color1, #e00000); }
            .wl-problems { color: var(--jp-error-color1, #d00000); }
            .wl-swatch { display: inline-block; width: 1.4em; border-radius: 2px; }
            .wl-more { color: var(--jp-content-font-color2, #666); font-style: italic; }
            .wl-esc { opacity: 0.6; }
            .wl-stream pre { margin: 0; padding: 1px 6px; white-space: pre-wrap; }
            .wl-c2s { color: var(--jp-content-font-color1, #7f0000); }
            .wl-s2c { color: var(--jp-content-font-color1, #00007f); }
            .wl-msg > tbody > tr > td { padding: 0 12px 0 0; }
            .wl-tree details > div, .wl-tree details > details { margin-left: 1.2em; }
            .wl-tree summary { cursor: pointer; }
            .wl-name { color: var(--jp-content-font-color2, #555); }
            .wl-selfcheck { list-style: none; padding-left: 0.4em; }
            .wl-pass { color: var(--jp-success-color1, #2e7d32); }
            .wl-skip { color: var(--jp-warn-color1, #b26a00); }
            .wl-unchecked small { color: var(--jp-content-font-color2, #666); }
            .wl-recorded { color: var(--jp-warn-color1, #8a5a00); font-style: italic; }
            """;

    /**
     * Fields of one message view that outline their bytes while the reader points at their tree
     * line: the first {@value}, by pre-order index ({@code wl-t<i>} in the tree, {@code wl-h<i>}
     * on the bytes). Works where {@code :has()} does and the stylesheet applies (trusted notebooks);
     * elsewhere each run of bytes still names its field in its {@code title}.
     */
    public static final int HOVER_FIELDS = 96;

    private WirelabCss() {
    }

    private static String hoverRules() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < HOVER_FIELDS; i++) {
            out.append(".wl-msg:has(.wl-t").append(i).append(":hover) .wl-h").append(i).append(i + 1 < HOVER_FIELDS ? ",\n" : "");
        }
        return out.append(" { outline: 2px solid var(--jp-content-font-color1, #111); }\n").toString();
    }

    /** The stylesheet text, scoped to {@code wl-} classes; uses JupyterLab variables with fallbacks. */
    public static String css() {
        return CSS + hoverRules();
    }

    /** The stylesheet wrapped in {@code <style>}, ready to display once as {@code text/html}. */
    public static String styleElement() {
        return "<style>\n" + css() + "</style>";
    }

    /**
     * The stylesheet as a cell output: the last expression of a notebook's first cell. It styles
     * the views of a trusted notebook; an untrusted one drops it and the views keep their inline
     * colours.
     */
    public static org.wirelab.display.Rich stylesheet() {
        return () -> org.wirelab.display.MimeBundle.text("wirelab stylesheet (applies in trusted notebooks)")
                .html(styleElement()).build();
    }
}

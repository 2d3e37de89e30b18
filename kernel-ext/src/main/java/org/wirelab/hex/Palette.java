package org.wirelab.hex;

/**
 * Field colours: semi-transparent backgrounds that keep the theme's own text colour readable on
 * light and dark backgrounds alike. Plain {@code rgba()} values survive JupyterLab's sanitizer in
 * untrusted notebooks, where {@code var(--jp-...)} does not.
 */
final class Palette {

    private static final String[] FIELD = {
        "rgba(255,99,71,0.35)",
        "rgba(30,144,255,0.35)",
        "rgba(60,179,113,0.4)",
        "rgba(255,200,0,0.45)",
        "rgba(186,85,211,0.38)",
        "rgba(0,191,191,0.38)",
        "rgba(255,140,0,0.4)",
        "rgba(120,120,160,0.4)",
    };

    /** Background of a region that did not parse. */
    static final String PROBLEM_BACKGROUND = "rgba(220,0,0,0.5)";
    /** Underline of a region that did not parse. */
    static final String PROBLEM_BORDER = "2px solid #e00000";
    /** Client-to-server bytes, Wireshark's first speaker (red). */
    static final String CLIENT = "rgba(230,50,50,0.22)";
    static final String CLIENT_EDGE = "#d03030";
    /** Server-to-client bytes, Wireshark's second speaker (blue). */
    static final String SERVER = "rgba(50,90,230,0.22)";
    static final String SERVER_EDGE = "#3060d0";

    /**
     * Inline cell style: JupyterLab's own output CSS right-aligns, pads and vertically centres
     * table cells, which would break the hex columns in untrusted notebooks.
     */
    static final String CELL = "text-align:left;vertical-align:top;padding:0 4px";
    /** Inline table style: JupyterLab centres output tables with auto margins. */
    static final String TABLE = "margin:0;border-collapse:collapse";

    private Palette() {
    }

    /** The background of the {@code i}-th coloured field, repeating after eight. */
    static String field(int i) {
        return FIELD[Math.floorMod(i, FIELD.length)];
    }

    /** Inline style of the {@code i}-th field's bytes. */
    static String fieldStyle(int i) {
        return "background-color:" + field(i);
    }

    /** Inline style of bytes in a problem region. */
    static String problemStyle() {
        return "background-color:" + PROBLEM_BACKGROUND + ";border-bottom:" + PROBLEM_BORDER;
    }
}

package org.wirelab.diagram;

import java.util.Locale;
import org.wirelab.display.Html;

/**
 * A small SVG writer for the static pictures: a white card (readable on light and dark pages,
 * and on GitHub), lines, boxes, text, arrows. Every text passes through XML escaping.
 */
final class Svg {

    /** Approximate advance of one character of 12px monospace text. */
    static final double CHAR = 7.3;
    static final String INK = "#222222";
    static final String MUTED = "#666666";
    static final String GRID = "#dddddd";
    /** Categorical colours, readable with dark text on the white card. */
    private static final String[] SERIES = {
        "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac",
    };

    private final StringBuilder out = new StringBuilder(4096);

    Svg(double width, double height) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(n(width)).append("\" height=\"")
                .append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ').append(n(height))
                .append("\" font-family=\"monospace\" font-size=\"12\">");
        out.append("<rect x=\"0\" y=\"0\" width=\"").append(n(width)).append("\" height=\"").append(n(height))
                .append("\" rx=\"6\" fill=\"#ffffff\" stroke=\"#cccccc\"/>");
    }

    static String series(int i) {
        return SERIES[Math.floorMod(i, SERIES.length)];
    }

    static String n(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed) {
        out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(n(width)).append('"');
        if (dashed) {
            out.append(" stroke-dasharray=\"4 3\"");
        }
        out.append("/>");
        return this;
    }

    Svg rect(double x, double y, double w, double h, String fill, String stroke, String tooltip) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" rx=\"2\" fill=\"").append(fill).append('"');
        if (stroke != null) {
            out.append(" stroke=\"").append(stroke).append('"');
        }
        if (tooltip != null) {
            out.append("><title>").append(Html.escape(tooltip)).append("</title></rect>");
        } else {
            out.append("/>");
        }
        return this;
    }

    Svg circle(double cx, double cy, double r, String fill, String tooltip) {
        out.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append('"');
        if (tooltip != null) {
            out.append("><title>").append(Html.escape(tooltip)).append("</title></circle>");
        } else {
            out.append("/>");
        }
        return this;
    }

    Svg polyline(double[] xs, double[] ys, String stroke) {
        out.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            out.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        out.append("\"/>");
        return this;
    }

    Svg polygon(String fill, double... xy) {
        out.append("<polygon fill=\"").append(fill).append("\" points=\"");
        for (int i = 0; i < xy.length; i += 2) {
            out.append(i == 0 ? "" : " ").append(n(xy[i])).append(',').append(n(xy[i + 1]));
        }
        out.append("\"/>");
        return this;
    }

    /** Text at (x, y); {@code anchor} is start, middle or end. */
    Svg text(double x, double y, String s, String anchor, String fill, boolean bold) {
        out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" fill=\"").append(fill).append('"');
        if (bold) {
            out.append(" font-weight=\"bold\"");
        }
        out.append('>').append(Html.escape(s)).append("</text>");
        return this;
    }

    /** A horizontal arrow from x1 to x2 at y with a filled head at x2. */
    Svg arrow(double x1, double x2, double y, String stroke, String tooltip) {
        double dir = Math.signum(x2 - x1);
        out.append("<g>");
        if (tooltip != null) {
            out.append("<title>").append(Html.escape(tooltip)).append("</title>");
        }
        line(x1, y, x2 - dir * 8, y, stroke, 1.5, false);
        polygon(stroke, x2, y, x2 - dir * 9, y - 4.5, x2 - dir * 9, y + 4.5);
        out.append("</g>");
        return this;
    }

    /** A small loop for a message a participant sends to itself. */
    Svg selfArrow(double x, double y, String stroke, String tooltip) {
        out.append("<g>");
        if (tooltip != null) {
            out.append("<title>").append(Html.escape(tooltip)).append("</title>");
        }
        out.append("<path fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"1.5\" d=\"M")
                .append(n(x)).append(',').append(n(y - 8)).append(" h28 v14 h-20\"/>");
        polygon(stroke, x, y + 6, x + 9, y + 1.5, x + 9, y + 10.5);
        out.append("</g>");
        return this;
    }

    int length() {
        return out.length();
    }

    String end() {
        return out + "</svg>";
    }

    /** Round tick values covering [lo, hi], about {@code count} of them. */
    static double[] ticks(double lo, double hi, int count) {
        if (hi <= lo) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / count;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double start = Math.floor(lo / step) * step;
        int k = (int) Math.ceil((hi - start) / step - 1e-9);
        double[] out = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            out[i] = start + i * step;
        }
        return out;
    }

    /** A tick label without needless decimals, e.g. {@code 0.5}, {@code 20}. */
    static String tick(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return Long.toString(Math.round(v));
        }
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

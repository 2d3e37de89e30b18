package org.wirelab.diagram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * A small chart from Java numbers: Vega-Lite v5 for JupyterLab, an SVG picture for GitHub and a
 * plain table as text. Bars take (category, series, value); lines and scatters take (series, x, y).
 *
 * <pre>{@code
 * Chart.bar("Round trip by payload").x("payload").y("round trip", "ms")
 *     .add("64 B", "loopback", 0.21).add("64 KiB", "loopback", 0.9)
 * }</pre>
 */
public final class Chart implements Rich {

    /** Points drawn at most: {@value}; more are refused with an error that says so. */
    public static final int MAX_POINTS = 500;

    private enum Kind { BAR, LINE, SCATTER }

    private record Point(String category, String series, double x, double y) {
    }

    private final Kind kind;
    private final String title;
    private String xName = "x";
    private String xUnit;
    private String yName = "value";
    private String yUnit;
    private final List<Point> points = new ArrayList<>();

    private Chart(Kind kind, String title) {
        this.kind = kind;
        this.title = Objects.requireNonNull(title, "title");
    }

    /** A grouped bar chart, e.g. {@code Chart.bar("Requests per second")}; add (category, series, value). */
    public static Chart bar(String title) {
        return new Chart(Kind.BAR, title).x("category");
    }

    /** A line chart with points, e.g. {@code Chart.line("Window size over time")}; add (series, x, y). */
    public static Chart line(String title) {
        return new Chart(Kind.LINE, title);
    }

    /** A scatter plot, e.g. {@code Chart.scatter("Latency by size")}; add (series, x, y). */
    public static Chart scatter(String title) {
        return new Chart(Kind.SCATTER, title);
    }

    /** Names the x axis, e.g. {@code x("payload")}; default "category" for bars, "x" otherwise. */
    public Chart x(String name) {
        return x(name, null);
    }

    /** Names the x axis with its unit, e.g. {@code x("time", "s")} shows "time (s)". */
    public Chart x(String name, String unit) {
        this.xName = Objects.requireNonNull(name, "name");
        this.xUnit = unit;
        return this;
    }

    /** Names the y axis, e.g. {@code y("requests")}; default "value". */
    public Chart y(String name) {
        return y(name, null);
    }

    /** Names the y axis with its unit, e.g. {@code y("latency", "ms")} shows "latency (ms)". */
    public Chart y(String name, String unit) {
        this.yName = Objects.requireNonNull(name, "name");
        this.yUnit = unit;
        return this;
    }

    /** Adds a bar: {@code add("64 B", "netty", 0.21)}. Bars only. */
    public Chart add(String category, String series, double value) {
        if (kind != Kind.BAR) {
            throw new IllegalStateException(kind.name().toLowerCase(Locale.ROOT)
                    + " charts take add(series, x, y), e.g. add(\"netty\", 1.0, 0.21)");
        }
        return put(new Point(Objects.requireNonNull(category, "category"), Objects.requireNonNull(series, "series"), 0, value));
    }

    /** Adds a point: {@code add("netty", 1.0, 0.21)}. Lines and scatters only. */
    public Chart add(String series, double x, double y) {
        if (kind == Kind.BAR) {
            throw new IllegalStateException("bar charts take add(category, series, value), e.g. add(\"64 B\", \"netty\", 0.21)");
        }
        return put(new Point(null, Objects.requireNonNull(series, "series"), x, y));
    }

    private static String clip(String s) {
        return s == null || s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }

    private Chart put(Point p) {
        p = new Point(clip(p.category), clip(p.series), p.x, p.y);
        if (!Double.isFinite(p.y) || !Double.isFinite(p.x)) {
            throw new IllegalArgumentException("chart values must be finite numbers, got " + p.x + ", " + p.y);
        }
        if (points.size() >= MAX_POINTS) {
            throw new IllegalStateException("a chart holds at most " + MAX_POINTS + " points; aggregate first");
        }
        points.add(p);
        return this;
    }

    private String xTitle() {
        return Vl.title(xName, xUnit);
    }

    private String yTitle() {
        return Vl.title(yName, yUnit);
    }

    private List<String> seriesNames() {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        points.forEach(p -> s.add(p.series));
        return List.copyOf(s);
    }

    private List<String> categories() {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        points.forEach(p -> s.add(p.category));
        return List.copyOf(s);
    }

    /** The Vega-Lite v5 spec: data inline, fields {@code category|x}, {@code series}, {@code value|y}. */
    public Map<String, Object> vegaLite() {
        List<Object> values = new ArrayList<>();
        for (Point p : points) {
            values.add(kind == Kind.BAR
                    ? Vl.map("category", p.category, "series", p.series, "value", p.y)
                    : Vl.map("series", p.series, "x", p.x, "y", p.y));
        }
        Map<String, Object> encoding;
        Object mark;
        if (kind == Kind.BAR) {
            mark = Vl.map("type", "bar", "tooltip", true);
            encoding = Vl.map(
                    "x", Vl.map("field", "category", "type", "nominal", "title", xTitle(), "sort", categories(),
                            "axis", Vl.map("labelAngle", 0)),
                    "y", Vl.map("field", "value", "type", "quantitative", "title", yTitle()),
                    "color", Vl.map("field", "series", "type", "nominal", "title", "series"),
                    "xOffset", seriesNames().size() > 1 ? Vl.map("field", "series", "type", "nominal") : null,
                    "tooltip", List.of(Vl.map("field", "category", "type", "nominal", "title", xTitle()),
                            Vl.map("field", "series", "type", "nominal"),
                            Vl.map("field", "value", "type", "quantitative", "title", yTitle())));
        } else {
            mark = kind == Kind.LINE ? Vl.map("type", "line", "point", true, "tooltip", true)
                    : Vl.map("type", "point", "filled", true, "tooltip", true);
            encoding = Vl.map(
                    "x", Vl.map("field", "x", "type", "quantitative", "title", xTitle()),
                    "y", Vl.map("field", "y", "type", "quantitative", "title", yTitle()),
                    "color", Vl.map("field", "series", "type", "nominal", "title", "series"));
        }
        return Vl.frozen(Vl.map("$schema", Vl.SCHEMA, "title", title, "width", 480, "height", 260,
                "data", Vl.map("values", values), "mark", mark, "encoding", encoding));
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return MimeBundle.text(toString()).vegaLite(vegaLite()).with(MimeBundle.SVG, svg()).build();
    }

    /** The data as a table: title, then one row per point. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(title).append('\n');
        String[] head = kind == Kind.BAR ? new String[] {xTitle(), "series", yTitle()}
                : new String[] {"series", xTitle(), yTitle()};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Point p : points) {
            rows.add(kind == Kind.BAR ? new String[] {p.category, p.series, Svg.tick(p.y)}
                    : new String[] {p.series, Svg.tick(p.x), Svg.tick(p.y)});
        }
        int[] w = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            out.append(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s", (Object[]) r).stripTrailing())
                    .append('\n');
        }
        return out.toString();
    }

    /** The static picture: axes with round ticks, bars, lines or dots, and a legend. */
    String svg() {
        double left = 70;
        double top = 40;
        double plotW = 480;
        double plotH = 240;
        List<String> series = seriesNames();
        double legendW = 30 + series.stream().mapToInt(String::length).max().orElse(6) * Svg.CHAR;
        double width = left + plotW + 20 + legendW;
        double height = top + plotH + 70;
        Svg svg = new Svg(width, height);
        svg.text(width / 2, 22, title, "middle", Svg.INK, true);
        double ymin = Math.min(0, points.stream().mapToDouble(Point::y).min().orElse(0));
        double ymax = Math.max(kind == Kind.BAR ? 0 : ymin + 1e-9, points.stream().mapToDouble(Point::y).max().orElse(1));
        if (kind != Kind.BAR) {
            ymin = points.stream().mapToDouble(Point::y).min().orElse(0);
            ymin = Math.min(ymin, 0);
        }
        double[] yt = Svg.ticks(ymin, ymax, 5);
        double y0 = yt[0];
        double y1 = yt[yt.length - 1];
        java.util.function.DoubleUnaryOperator sy = v -> top + plotH - (v - y0) / (y1 - y0) * plotH;
        for (double t : yt) {
            svg.line(left, sy.applyAsDouble(t), left + plotW, sy.applyAsDouble(t), Svg.GRID, 1, false);
            svg.text(left - 6, sy.applyAsDouble(t) + 4, Svg.tick(t), "end", Svg.MUTED, false);
        }
        svg.line(left, top, left, top + plotH, Svg.INK, 1, false);
        svg.line(left, top + plotH, left + plotW, top + plotH, Svg.INK, 1, false);
        svg.text(left + plotW / 2, top + plotH + 44, xTitle(), "middle", Svg.INK, false);
        svg.text(14, top - 14, yTitle(), "start", Svg.INK, false);
        if (kind == Kind.BAR) {
            List<String> cats = categories();
            double band = plotW / Math.max(1, cats.size());
            double barW = band * 0.8 / Math.max(1, series.size());
            for (int c = 0; c < cats.size(); c++) {
                double bx = left + c * band + band * 0.1;
                svg.text(left + c * band + band / 2, top + plotH + 18, cats.get(c), "middle", Svg.INK, false);
                for (Point p : points) {
                    if (p.category.equals(cats.get(c))) {
                        int s = series.indexOf(p.series);
                        double ya = sy.applyAsDouble(Math.max(0, p.y));
                        double yb = sy.applyAsDouble(Math.min(0, p.y));
                        svg.rect(bx + s * barW, ya, barW - 1, Math.max(1, yb - ya), Svg.series(s), null,
                                p.category + ", " + p.series + ": " + Svg.tick(p.y) + (yUnit == null ? "" : " " + yUnit));
                    }
                }
            }
        } else {
            double xmin = points.stream().mapToDouble(Point::x).min().orElse(0);
            double xmax = points.stream().mapToDouble(Point::x).max().orElse(1);
            double[] xt = Svg.ticks(xmin, xmax, 6);
            double x0 = xt[0];
            double x1 = xt[xt.length - 1];
            java.util.function.DoubleUnaryOperator sx = v -> left + (v - x0) / (x1 - x0) * plotW;
            for (double t : xt) {
                svg.line(sx.applyAsDouble(t), top + plotH, sx.applyAsDouble(t), top + plotH + 5, Svg.INK, 1, false);
                svg.text(sx.applyAsDouble(t), top + plotH + 18, Svg.tick(t), "middle", Svg.MUTED, false);
            }
            for (int s = 0; s < series.size(); s++) {
                String name = series.get(s);
                List<Point> ps = points.stream().filter(p -> p.series.equals(name)).toList();
                if (kind == Kind.LINE && ps.size() > 1) {
                    double[] xs = ps.stream().mapToDouble(p -> sx.applyAsDouble(p.x)).toArray();
                    double[] ys = ps.stream().mapToDouble(p -> sy.applyAsDouble(p.y)).toArray();
                    svg.polyline(xs, ys, Svg.series(s));
                }
                for (Point p : ps) {
                    svg.circle(sx.applyAsDouble(p.x), sy.applyAsDouble(p.y), kind == Kind.LINE ? 3 : 4, Svg.series(s),
                            name + ": " + Svg.tick(p.x) + ", " + Svg.tick(p.y));
                }
            }
        }
        for (int s = 0; s < series.size(); s++) {
            double ly = top + 10 + s * 18;
            svg.rect(left + plotW + 20, ly - 9, 12, 12, Svg.series(s), null, null);
            svg.text(left + plotW + 38, ly + 1, series.get(s), "start", Svg.INK, false);
        }
        return svg.end();
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

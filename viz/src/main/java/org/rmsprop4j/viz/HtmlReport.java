package org.rmsprop4j.viz;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Trajectory;

/**
 * A self-contained HTML report: one file with every image inlined (GIF and PNG as base64
 * {@code data:} URIs, SVG inline), tables of settings and losses, and no reference to anything
 * outside the file (no scripts, fonts or style sheets fetched from the network).
 * Collect parts in order with the methods below, then {@link #toHtml()} or {@link #write(Path)}.
 */
public final class HtmlReport {

    private final String title;
    private final List<String> parts = new ArrayList<>();
    private int svgCount;

    public HtmlReport(String title) {
        this.title = title == null ? "rmsprop4j report" : title;
    }

    /** A section heading. */
    public HtmlReport heading(String text) {
        parts.add("<h2>" + esc(text) + "</h2>");
        return this;
    }

    /** A paragraph of plain text. */
    public HtmlReport paragraph(String text) {
        parts.add("<p>" + esc(text) + "</p>");
        return this;
    }

    /** An inlined image ({@code mime} {@code image/gif} or {@code image/png}) with a caption. */
    public HtmlReport image(byte[] bytes, String mime, String alt, String caption) {
        if (!mime.equals("image/gif") && !mime.equals("image/png")) {
            throw new IllegalArgumentException("mime must be image/gif or image/png, got " + mime);
        }
        parts.add("<figure><img alt=\"" + esc(alt) + "\" src=\"data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes)
                + "\"><figcaption>" + esc(caption) + "</figcaption></figure>");
        return this;
    }

    /** A drawing inlined as SVG with a caption. */
    public HtmlReport svg(Drawing d, String caption) {
        svgCount++;
        parts.add("<figure class=\"svg\">" + Render.svg(d, "f" + svgCount) + "<figcaption>" + esc(caption) + "</figcaption></figure>");
        return this;
    }

    /** The settings of a race: surface, start, steps and one row per optimizer with its colour and every hyper-parameter. */
    public HtmlReport settings(Race race, List<Color> colors) {
        Surface s = race.surface();
        StringBuilder b = new StringBuilder("<table><caption>Settings</caption><tbody>");
        b.append(row("surface", s.title() + " (" + s.name() + ")"));
        b.append(row("formula", s.formula()));
        b.append(row("domain", s.domain().toString()));
        b.append(row("start", race.start().toString()));
        b.append(row("steps", String.valueOf(race.steps())));
        b.append(row("arithmetic", "float64"));
        b.append("</tbody></table>");
        b.append("<table><caption>Optimizers</caption><thead><tr><th></th><th>label</th><th>kind</th><th>hyper-parameters</th></tr></thead><tbody>");
        List<Color> cs = Charts.colors(race, colors);
        for (int i = 0; i < race.trajectories().size(); i++) {
            Trajectory t = race.trajectories().get(i);
            StringBuilder hp = new StringBuilder();
            for (Map.Entry<String, Object> e : t.spec().hyperParameters().entrySet()) {
                if (hp.length() > 0) hp.append(", ");
                hp.append(e.getKey()).append('=').append(e.getValue());
            }
            b.append("<tr><td>").append(swatch(cs.get(i))).append("</td><td>").append(esc(t.label())).append("</td><td>")
                    .append(esc(t.spec().kind())).append("</td><td class=\"hp\">").append(esc(hp.toString())).append("</td></tr>");
        }
        parts.add(b.append("</tbody></table>").toString());
        return this;
    }

    /** Loss of every optimizer at a few steps, the final position, the steps taken and why the run stopped. */
    public HtmlReport lossTable(Race race, List<Color> colors) {
        TreeSet<Integer> cols = new TreeSet<>();
        int n = race.steps();
        for (int k : new int[] {0, 1, 10, n / 10, n / 4, n / 2, n}) if (k >= 0 && k <= n) cols.add(k);
        StringBuilder b = new StringBuilder("<table><caption>Loss by step</caption><thead><tr><th></th><th>label</th>");
        for (int k : cols) b.append("<th>step ").append(k).append("</th>");
        b.append("<th>final position</th><th>steps taken</th><th>end</th></tr></thead><tbody>");
        List<Color> cs = Charts.colors(race, colors);
        for (int i = 0; i < race.trajectories().size(); i++) {
            Trajectory t = race.trajectories().get(i);
            b.append("<tr><td>").append(swatch(cs.get(i))).append("</td><td>").append(esc(t.label())).append("</td>");
            for (int k : cols) b.append("<td class=\"num\">").append(k < t.frames() ? esc(Text.num(t.loss(k))) : "—").append("</td>");
            int last = t.frames() - 1;
            b.append("<td class=\"num\">").append(esc("(" + Text.num(t.x(last)) + ", " + Text.num(t.y(last)) + ")")).append("</td><td class=\"num\">")
                    .append(t.stepsTaken()).append("</td><td>").append(esc(t.stopMessage())).append("</td></tr>");
        }
        parts.add(b.append("</tbody></table>").toString());
        return this;
    }

    /** The whole page. */
    public String toHtml() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n");
        b.append("<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
                + "figure{margin:1.5em 0}figure img,figure svg{max-width:100%;height:auto;border:1px solid #ddd}"
                + "figcaption{color:#555;font-size:.95em;margin-top:.3em}table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
                + "caption{text-align:left;font-weight:bold;padding:.3em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}"
                + "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.hp{font-size:.85em}"
                + ".sw{display:inline-block;width:1.6em;height:.7em;border-radius:.2em}</style>\n</head><body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        for (String p : parts) b.append(p).append('\n');
        b.append("<p style=\"color:#777;font-size:.85em\">Generated by rmsprop4j. Self-contained: every image is inlined.</p>\n");
        return b.append("</body></html>\n").toString();
    }

    /** Writes the page atomically (UTF-8). */
    public Path write(Path file) {
        return Render.write(file, toHtml().getBytes(StandardCharsets.UTF_8));
    }

    private static String row(String k, String v) { return "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>"; }

    private static String swatch(Color c) { return "<span class=\"sw\" style=\"background:" + Palette.hex(c) + "\"></span>"; }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Side-by-side line charts of any curves against a 1-based index (epochs, say), with one shared
 * legend: for figures that are not races, such as training curves of two optimizer settings.
 */
public final class Curves {
    private Curves() {}

    /**
     * One chart: {@code ys.get(i)[k]} is line {@code i}'s value at index {@code k + 1}.
     *
     * @param logY log-scale y axis
     */
    public record Panel(String title, String xTitle, String yTitle, boolean logY, List<double[]> ys) {
        public Panel {
            if (ys == null || ys.isEmpty()) throw new IllegalArgumentException("ys must hold at least one line, got " + ys);
            ys = List.copyOf(ys);
        }
    }

    /** Panels side by side under a title, every panel's line {@code i} named {@code labels.get(i)} in the legend. */
    public static Drawing of(String title, String subtitle, List<String> labels, List<Panel> panels) {
        if (panels == null || panels.isEmpty()) throw new IllegalArgumentException("panels must not be empty, got " + panels);
        for (Panel p : panels) {
            if (p.ys().size() != labels.size()) {
                throw new IllegalArgumentException("every panel must have one line per label (" + labels.size() + "), got " + p.ys().size()
                        + " in '" + p.title() + "'");
            }
        }
        List<String> ls = List.copyOf(labels);
        return new Drawing() {
            @Override public int width() { return Charts.WIDTH; }

            @Override public int height() { return Charts.HEIGHT; }

            @Override public void draw(Graphics2D g) {
                int w = Charts.WIDTH, h = Charts.HEIGHT;
                double u = 1;
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, w, h);
                Plot.title(g, title, subtitle, 16, 8, u, w - 32);
                double legendH = 30;
                Rectangle2D box = new Rectangle2D.Double(10, 70, w - 24, h - 70 - legendH - 6);
                double part = box.getWidth() / panels.size();
                for (int p = 0; p < panels.size(); p++) {
                    Panel pn = panels.get(p);
                    LineChart c = new LineChart(pn.title(), pn.xTitle(), pn.yTitle(), pn.logY());
                    for (int i = 0; i < pn.ys().size(); i++) {
                        double[] y = pn.ys().get(i);
                        double[] x = new double[y.length];
                        for (int k = 0; k < y.length; k++) x[k] = k + 1;
                        c.add(new LineChart.Series(ls.get(i), Palette.series(i), x, y.clone(), 0, 0));
                    }
                    c.draw(g, new Rectangle2D.Double(box.getMinX() + p * part, box.getMinY(), part - 8 * u, box.getHeight()), u);
                }
                double colW = (w - 40) / (double) ls.size();
                g.setFont(Text.font(Font.PLAIN, 13f));
                for (int i = 0; i < ls.size(); i++) {
                    double x = 20 + i * colW, y = h - legendH + 8;
                    g.setColor(Palette.series(i));
                    g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(new Line2D.Double(x, y + 6, x + 20, y + 6));
                    g.setColor(Palette.INK);
                    Text.left(g, Text.fit(g, ls.get(i), colW - 34), x + 28, y + 11);
                }
            }
        };
    }
}

package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/** Axes, ticks and labels shared by every chart. Package-private drawing helpers. */
final class Plot {
    private Plot() {}

    /** Draws the frame, ticks, tick labels and axis titles around {@code area}. */
    static void axes(Graphics2D g, Rectangle2D area, Scale sx, Scale sy, String xTitle, String yTitle, double u, boolean grid) {
        Shape oldClip = g.getClip();
        g.setFont(Text.font(Font.PLAIN, (float) (12.5 * u)));
        var fm = g.getFontMetrics();
        // as many ticks as fit without their labels touching (labels of up to 5 characters across, one line up)
        int nx = Math.max(2, Math.min(6, (int) (area.getWidth() / (fm.stringWidth("00000") + 6 * u))));
        int ny = Math.max(2, Math.min(6, (int) (area.getHeight() / (2.2 * fm.getHeight()))));
        if (grid) {
            g.setColor(new Color(0, 0, 0, 28));
            g.setStroke(new BasicStroke((float) (1 * u)));
            for (double v : sx.ticks(nx)) g.draw(new Line2D.Double(sx.map(v), area.getMinY(), sx.map(v), area.getMaxY()));
            for (double v : sy.ticks(ny)) g.draw(new Line2D.Double(area.getMinX(), sy.map(v), area.getMaxX(), sy.map(v)));
        }
        g.setColor(Palette.INK);
        g.setStroke(new BasicStroke((float) (1.2 * u)));
        g.draw(area);
        double tl = 5 * u;
        for (double v : sx.ticks(nx)) {
            double px = sx.map(v);
            if (px < area.getMinX() - 0.5 || px > area.getMaxX() + 0.5) continue;
            g.draw(new Line2D.Double(px, area.getMaxY(), px, area.getMaxY() + tl));
            Text.centre(g, sx.label(v), px, area.getMaxY() + tl + fm.getAscent() + 1 * u);
        }
        for (double v : sy.ticks(ny)) {
            double py = sy.map(v);
            if (py < area.getMinY() - 0.5 || py > area.getMaxY() + 0.5) continue;
            g.draw(new Line2D.Double(area.getMinX() - tl, py, area.getMinX(), py));
            Text.right(g, sy.label(v), area.getMinX() - tl - 3 * u, py + fm.getAscent() / 2.0 - 2 * u);
        }
        g.setFont(Text.font(Font.PLAIN, (float) (14 * u)));
        fm = g.getFontMetrics();
        if (xTitle != null) Text.centre(g, xTitle, area.getCenterX(), area.getMaxY() + tl + 18 * u + fm.getAscent());
        if (yTitle != null) {
            AffineTransform at = g.getTransform();
            g.translate(area.getMinX() - 44 * u, area.getCenterY());
            g.rotate(-Math.PI / 2);
            Text.centre(g, yTitle, 0, 0);
            g.setTransform(at);
        }
        g.setClip(oldClip);
    }

    /** A title in bold and a subtitle below it, left-aligned at {@code x}. */
    static void title(Graphics2D g, String title, String subtitle, double x, double y, double u, double maxWidth) {
        g.setColor(Palette.INK);
        g.setFont(Text.font(Font.BOLD, (float) (21 * u)));
        Text.left(g, Text.fit(g, title, maxWidth), x, y + 22 * u);
        if (subtitle != null) {
            g.setColor(Palette.MUTED);
            g.setFont(Text.font(Font.PLAIN, (float) (14 * u)));
            Text.left(g, Text.fit(g, subtitle, maxWidth), x, y + 46 * u);
        }
    }
}

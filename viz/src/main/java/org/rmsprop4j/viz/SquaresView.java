package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

import org.rmsprop4j.sim.Trajectory;

/**
 * The article's "squares": for each optimizer that accumulates squared gradients, one square per
 * axis whose area is the accumulated (for RMSprop: exponentially decayed) squared gradient at the
 * current step, with its value printed. All squares share one scale, fixed over the whole
 * animation, so AdaGrad's growing sum and RMSprop's bounded mean square can be compared by eye.
 * Rows that do not fit (at most one per 70 pixels at slide size) are left out and counted.
 */
final class SquaresView {
    private SquaresView() {}

    /** Largest accumulator value over all frames of the trajectories that have one. */
    static double maxValue(List<Trajectory> ts) {
        double m = 0;
        for (Trajectory t : ts) {
            if (t.accumulatorSlot() == null) continue;
            for (int k = 0; k < t.frames(); k++) for (int a = 0; a < 2; a++) m = Math.max(m, t.squaredGradientAccumulator(k, a));
        }
        return m;
    }

    static void draw(Graphics2D g, Rectangle2D box, List<Trajectory> ts, List<Color> colors, int step, double vmax, double u) {
        int rows = 0;
        for (Trajectory t : ts) if (t.accumulatorSlot() != null) rows++;
        double top = box.getMinY() + 28 * u;
        int fit = Math.max(1, (int) ((box.getMaxY() - top) / (70 * u)));
        int hidden = Math.max(0, rows - fit);
        g.setColor(Palette.INK);
        g.setFont(Text.font(Font.BOLD, (float) (14 * u)));
        Text.left(g, Text.fit(g, hidden > 0 ? "Accumulated g² (area); " + hidden + " not shown" : "Accumulated squared gradient (area)", box.getWidth()),
                box.getMinX(), box.getMinY() + 16 * u);
        if (rows == 0) return;
        rows -= hidden;
        double rowH = (box.getMaxY() - top) / rows;
        double colW = box.getWidth() / 2;
        double maxSide = Math.max(4, Math.min(rowH - 44 * u, colW - 16 * u));
        int r = 0;
        for (int i = 0; i < ts.size(); i++) {
            Trajectory t = ts.get(i);
            if (t.accumulatorSlot() == null) continue;
            if (r >= rows) break;
            int k = Math.min(step, t.frames() - 1);
            double y = top + r * rowH;
            boolean adagrad = t.accumulatorIsSum();
            g.setColor(colors.get(i));
            g.setFont(Text.font(Font.BOLD, (float) (13 * u)));
            Text.left(g, Text.fit(g, t.label() + (adagrad ? "  (sum of g²)" : "  (decayed mean of g²)"), box.getWidth()),
                    box.getMinX(), y + 14 * u);
            for (int a = 0; a < 2; a++) {
                double v = t.squaredGradientAccumulator(k, a);
                double side = vmax > 0 ? Math.max(1.5 * u, maxSide * Math.sqrt(Math.max(v, 0) / vmax)) : 1.5 * u;
                double cx = box.getMinX() + colW * a + colW / 2;
                double sq0 = y + 22 * u;
                Rectangle2D sq = new Rectangle2D.Double(cx - side / 2, sq0 + (maxSide - side) / 2, side, side);
                Color c = colors.get(i);
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
                g.fill(sq);
                g.setColor(c);
                g.setStroke(new BasicStroke((float) (1.6 * u)));
                g.draw(sq);
                g.setColor(Palette.INK);
                g.setFont(Text.font(Font.PLAIN, (float) (12.5 * u)));
                String axis = a == 0 ? t.surface().xLabel() : t.surface().yLabel();
                Text.centre(g, axis + ": " + Text.num(v), cx, sq0 + maxSide + 16 * u);
            }
            r++;
        }
    }
}

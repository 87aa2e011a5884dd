package org.rmsprop4j.viz;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Simulator;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;
import org.rmsprop4j.sim.Sweep;
import org.rmsprop4j.sim.Trajectory;

/** The defects a reader found in the figures, one test each, against the shared drawing code. */
class FigureFixesTest {

    /** Beale from (1, 1.5): adam converges, gradient descent with lr 0.1 is thrown off the map with a huge loss. */
    static Race bealeWithAnEscapee() {
        Surface s = Surfaces.beale();
        return Simulator.race(s, new Surface.Point(1, 1.5), 300, List.of(
                new Contender("adam", AdamConfig.builder().learningRate(0.05).build()),
                new Contender("gd", SgdConfig.builder().learningRate(0.1).build())));
    }

    @Test
    void aRunThatLeftTheMapDoesNotCropTheOthersLossCurves() {
        Race r = bealeWithAnEscapee();
        Trajectory adam = r.trajectories().get(0), gd = r.trajectories().get(1);
        assertThat(RaceMarks.leftDomainAt(gd)).isPositive();
        assertThat(RaceMarks.leftDomainAt(adam)).isEqualTo(-1);
        double adamLow = Double.POSITIVE_INFINITY, adamHigh = 0;
        for (int k = 0; k < adam.frames(); k++) {
            adamLow = Math.min(adamLow, adam.loss(k));
            adamHigh = Math.max(adamHigh, adam.loss(k));
        }
        LineChart c = RaceFigure.lossChart(r, List.of(Color.BLUE, Color.RED), r.steps(), 1);
        assertThat(c.yHi).as("top from the run that stayed on the map").isEqualTo(adamHigh);
        assertThat(c.yLo).as("every decade any run reaches stays on the chart").isLessThanOrEqualTo(adamLow);
        assertThat(c.notes).anySatisfy(n -> assertThat(n).contains("off the top").contains("gd"));
    }

    @Test
    void aRunOffTheMapIsMarkedAndNamed() {
        Race r = bealeWithAnEscapee();
        String svg = Render.svg(RaceFigure.of(r, null, RaceFigure.Panel.LOSS));
        assertThat(svg).contains("left the map at step " + RaceMarks.leftDomainAt(r.trajectories().get(1)));
    }

    @Test
    void mapsHaveEqualScalesOnBothAxes() {
        for (Surface s : List.of(Surfaces.ellipticBowl(), Surfaces.rosenbrock(), Surfaces.beale())) {
            Race r = Simulator.race(s, s.start(), 5, List.of(new Contender("adam", AdamConfig.builder().build())));
            for (int[] size : new int[][] {{960, 640}, {480, 320}, {1600, 900}}) {
                Rectangle2D a = RaceFigure.of(r, null, null, size[0], size[1], null).mapArea();
                double pxPerX = a.getWidth() / s.domain().width(), pxPerY = a.getHeight() / s.domain().height();
                assertThat(pxPerX).as(s.name() + " " + size[0] + "x" + size[1]).isCloseTo(pxPerY, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(a.getMaxX()).isLessThan(size[0]);
                assertThat(a.getMaxY()).isLessThan(size[1]);
            }
        }
        // the bowl is 2.5 times wider than tall: its map is too
        Race bowl = ArticleFigures.rmspropVsAdagrad();
        Rectangle2D a = RaceFigure.of(bowl, null, RaceFigure.Panel.SQUARES).mapArea();
        assertThat(a.getWidth() / a.getHeight()).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void coincidingRunsAreFoundAndDrawnSoBothShow() {
        Race r3 = ArticleFigures.sigmoidNeuronRace(); // gd, momentum, nesterov, adagrad, rmsprop-seed, rmsprop-pytorch, adam
        int[] same = RaceMarks.samePathAs(r3.trajectories());
        assertThat(same[5]).as("rmsprop-pytorch's path lies on rmsprop-seed's").isEqualTo(4);
        assertThat(same[6]).as("adam's does not").isEqualTo(-1);
        assertThat(same[0]).isEqualTo(-1);
        String svg = Render.svg(RaceFigure.of(r3, null, RaceFigure.Panel.LOSS));
        assertThat(svg).contains("dashed: path ≈ rmsprop-seed");
        // three identical effective-step lines (gd, momentum, nesterov all lr 1)
        List<double[]> lines = new ArrayList<>();
        for (Trajectory t : r3.trajectories()) {
            double[] ys = new double[t.frames()];
            for (int k = 0; k < t.frames(); k++) ys[k] = t.effectiveStep(k, 0);
            lines.add(ys);
        }
        assertThat(RaceMarks.sameLogLineAs(lines)).containsExactly(-1, 0, 0, -1, -1, -1, -1);
        String eff = Render.svg(Charts.effectiveStep(r3, null, null));
        assertThat(eff).contains("dashed, same line: momentum = gd, nesterov = gd");
        // the two duplicates get different dash patterns (their dashes in different places), so neither hides the other
        Matcher m = Pattern.compile("stroke-dasharray:([0-9.,]+)").matcher(eff);
        List<String> patterns = new ArrayList<>();
        while (m.find()) patterns.add(m.group(1));
        assertThat(patterns.stream().distinct().count()).as("dash patterns " + patterns).isGreaterThanOrEqualTo(2);
    }

    @Test
    void smallFiguresKeepTextOfAtLeastTenPixels() {
        Race r = bealeWithAnEscapee();
        for (RaceFigure.Panel p : RaceFigure.Panel.values()) {
            String svg = Render.svg(RaceFigure.of(r, null, p, 480, 320, null));
            Matcher m = Pattern.compile("font-size: ?([0-9.]+)px").matcher(svg);
            double min = Double.POSITIVE_INFINITY;
            int n = 0;
            while (m.find()) {
                min = Math.min(min, Double.parseDouble(m.group(1)));
                n++;
            }
            assertThat(n).isGreaterThan(10);
            assertThat(min).as(p + " smallest font").isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void theShadingHasAColourKey() {
        Race r = bealeWithAnEscapee();
        String svg = Render.svg(RaceFigure.of(r, null, RaceFigure.Panel.LOSS));
        LossMap m = LossMap.of(r.surface(), LossMap.REFERENCE);
        assertThat(svg).contains(">loss − min<".replace(" − min", r.surface().minValue() == 0 ? "" : " − min"));
        // a tick label for every whole decade of the shading's range (Beale: 1e-? .. 1e5)
        for (int e = (int) Math.ceil(m.lo()); e <= (int) Math.floor(m.hi()); e++) {
            String label = e == 0 ? "1" : e == 1 ? "10" : "1e" + e;
            assertThat(svg).as("key tick " + label).contains(">" + label + "<");
        }
    }

    @Test
    void sweepTicksAreRoundAndTheBestCellIsMarked() {
        double[] lrs = new double[20];
        for (int i = 0; i < 20; i++) lrs[i] = Math.exp(Math.log(1e-4) + i * (Math.log(1) - Math.log(1e-4)) / 19);
        List<double[]> t = SweepFigure.axisTicks(lrs, 0, 10);
        assertThat(t).extracting(x -> x[0]).containsExactly(1e-4, 1e-3, 1e-2, 1e-1, 1.0);
        assertThat(t.get(0)[1]).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-9)); // centre of the first cell
        assertThat(t.get(4)[1]).isCloseTo(195.0, org.assertj.core.data.Offset.offset(1e-9)); // centre of the last
        double[] ds = new double[20];
        for (int i = 0; i < 20; i++) ds[i] = 0.5 + i * (0.999 - 0.5) / 19;
        assertThat(SweepFigure.axisTicks(ds, 0, 10)).extracting(x -> x[0]).containsExactly(0.5, 0.6, 0.7, 0.8, 0.9);

        Surface s = Surfaces.ellipticBowl();
        Sweep sw = Sweep.run(s, s.start(), 40, RmsPropPreset.PYTORCH.config(), new double[] {0.001, 0.01, 0.1, 1, 10},
                new double[] {0.5, 0.9, 0.99}, i -> { });
        int[] best = SweepFigure.best(sw);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                if (!sw.diverged(i, j)) assertThat(sw.finalLoss(i, j)).isGreaterThanOrEqualTo(sw.finalLoss(best[0], best[1]));
            }
        }
        String svg = Render.svg(new SweepFigure(sw, null));
        assertThat(svg).contains(">best:<").contains("final loss " + Text.num(sw.finalLoss(best[0], best[1])));
        assertThat(svg).doesNotContain(">0.9727<", ">4.28e-4<");
    }
}

package org.rmsprop4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Trajectory;

class ArticleFiguresTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryFigureAndTheReportAtSmallSize() throws Exception {
        List<String> progress = new ArrayList<>();
        List<Path> out = ArticleFigures.writeAll(dir.resolve("figs"), progress::add, new ArticleFigures.Options(360, 240, 4, 10));
        List<String> names = out.stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).containsExactly("fig1-momentum-vs-rmsprop.gif", "fig1-momentum-vs-rmsprop.png", "fig1-momentum-vs-rmsprop.svg",
                "fig2-rmsprop-vs-adagrad.gif", "fig2-rmsprop-vs-adagrad.png", "fig2-rmsprop-vs-adagrad.svg",
                "fig3-sigmoid-neuron.gif", "fig3-sigmoid-neuron.png", "fig3-sigmoid-neuron.svg",
                "fig3-loss.png", "fig3-loss.svg", "fig3-step-size.png", "fig3-step-size.svg", "report.html");
        for (Path p : out) assertThat(Files.size(p)).as(p.toString()).isGreaterThan(100);
        for (Path p : out) {
            String n = p.getFileName().toString();
            if (n.endsWith(".gif")) {
                Images.Gif g = Images.readGif(Files.readAllBytes(p));
                assertThat(g.frames()).as(n).hasSize(4);
                assertThat(g.loopCount()).as(n).isZero();
            }
            if (n.endsWith(".svg")) Images.parseXml(Files.readString(p));
        }
        OutputsTest.assertSelfContained(Files.readString(dir.resolve("figs/report.html")));
        assertThat(progress).isNotEmpty();
    }

    @Test
    void theFiguresShowTheArticlesStory() {
        Race r1 = ArticleFigures.momentumVsRmsprop();
        Trajectory mom = r1.trajectories().get(0), rms = r1.trajectories().get(1);
        // after first reaching the valley floor (y = 0), momentum swings far across it again; RMSprop stays on it ...
        assertThat(swingAfterFirstCrossing(mom, 60)).isGreaterThan(1.0);
        assertThat(swingAfterFirstCrossing(rms, 60)).isLessThan(0.05);
        assertThat(rms.loss(60)).isLessThan(mom.loss(60));
        // ... until its tiny ε throws it out, inside the figure (which shows 120 steps), after which momentum is ahead
        int out = ArticleFigures.thrownOutAt(rms);
        assertThat(out).isBetween(61, 100);
        assertThat(ArticleFigures.thrownOutAt(mom)).isEqualTo(-1);
        assertThat(rms.finalLoss()).isGreaterThan(mom.finalLoss());

        Race r2 = ArticleFigures.rmspropVsAdagrad();
        Trajectory rms2 = r2.trajectories().get(0), ada = r2.trajectories().get(1);
        assertThat(ada.x(1)).isEqualTo(rms2.x(1), org.assertj.core.data.Offset.offset(1e-6)); // same first step
        int last = ada.frames() - 1;
        assertThat(ada.squaredGradientAccumulator(last, 1)).isGreaterThan(1000 * rms2.squaredGradientAccumulator(last, 1));
        double early = Math.hypot(ada.x(10) - ada.x(0), ada.y(10) - ada.y(0));
        double late = Math.hypot(ada.x(last) - ada.x(last - 10), ada.y(last) - ada.y(last - 10));
        assertThat(late).as("AdaGrad has nearly stopped").isLessThan(early / 10);
        double rmsLate = Math.hypot(rms2.x(100) - rms2.x(90), rms2.y(100) - rms2.y(90));
        assertThat(rmsLate).as("while RMSprop still moves at step 100").isGreaterThan(late);
        assertThat(rms2.finalLoss()).isLessThan(ada.finalLoss() / 10);

        assertThat(ArticleFigures.sigmoidNeuronRace().trajectories()).extracting(Trajectory::label)
                .containsExactly("gd", "momentum", "nesterov", "adagrad", "rmsprop-seed", "rmsprop-pytorch", "adam");
    }

    @Test
    void refusesAFileAsOutputFolder() throws Exception {
        Path f = Files.writeString(dir.resolve("x"), "x");
        assertThatThrownBy(() -> ArticleFigures.writeAll(f, s -> { })).hasMessageContaining("outDir must be a folder, got the file");
    }

    /** Largest |y| after the path first crosses y = 0, up to frame {@code last}. */
    private static double swingAfterFirstCrossing(Trajectory t, int last) {
        int k = 1;
        while (k <= last && Math.signum(t.y(k)) == Math.signum(t.y(k - 1))) k++;
        double m = 0;
        for (; k <= last; k++) m = Math.max(m, Math.abs(t.y(k)));
        return m;
    }
}

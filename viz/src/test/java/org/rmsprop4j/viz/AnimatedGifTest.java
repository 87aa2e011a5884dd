package org.rmsprop4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Simulator;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;

class AnimatedGifTest {

    static Race smallRace() {
        Surface s = Surfaces.ellipticBowl();
        return Simulator.race(s, s.start(), 40, List.of(new Contender("rmsprop", RmsPropPreset.SEED.config()),
                new Contender("adagrad", AdagradConfig.builder().learningRate(0.3).build())));
    }

    @Test
    void raceGifIsAnimatedLoopsForeverAndLooksLikeTheFramesItWasMadeOf() throws Exception {
        RaceFigure f = RaceFigure.of(smallRace(), null, RaceFigure.Panel.SQUARES, 360, 240, null);
        List<BufferedImage> frames = f.animationFrames(6, i -> { });
        byte[] gif = AnimatedGif.encode(frames, 7, 120);
        Images.Gif back = Images.readGif(gif);
        assertThat(back.frames()).hasSize(6);
        assertThat(back.loopCount()).isEqualTo(0);
        assertThat(back.delays()).containsExactly(7, 7, 7, 7, 7, 120);
        for (int i = 0; i < frames.size(); i++) {
            // one 255-colour palette: small quantisation error, but the right colours (a wrong palette gives ~100)
            assertThat(Images.meanAbsDiff(frames.get(i), back.frames().get(i))).as("frame %d", i).isLessThan(4.0);
        }
        assertThat(Images.meanAbsDiff(back.frames().get(0), back.frames().get(5))).as("the frames differ").isGreaterThan(0.05);
    }

    /**
     * The surface shading has more shades than one 255-colour palette: without dithering, runs of
     * neighbouring shades collapse into one palette colour and the GIF shows false contour bands.
     * Dithered, every 8×8 block keeps the average colour of the original.
     */
    @Test
    void smoothShadingHasNoFalseBands() throws Exception {
        Race r = Simulator.race(Surfaces.rosenbrock(), Surfaces.rosenbrock().start(), 20,
                List.of(new Contender("rmsprop", RmsPropPreset.PYTORCH.config())));
        BufferedImage frame = Render.image(RaceFigure.of(r, null, RaceFigure.Panel.LOSS));
        BufferedImage back = Images.readGif(AnimatedGif.encode(List.of(frame), 10, 10)).frames().get(0);
        double worst = 0;
        // the map's interior, away from paths and labels
        for (int by = 120; by + 8 <= 560; by += 8) {
            for (int bx = 90; bx + 8 <= 520; bx += 8) worst = Math.max(worst, blockDiff(frame, back, bx, by));
        }
        assertThat(worst).as("worst 8×8 block mean difference, levels").isLessThan(BAND_LIMIT);
    }

    /** Measured on this figure: 0.86 levels dithered, 2.6 levels with the same palette and no dithering. */
    static final double BAND_LIMIT = 1.5;

    private static double blockDiff(BufferedImage a, BufferedImage b, int x0, int y0) {
        double worst = 0;
        for (int shift : new int[] {16, 8, 0}) {
            double sa = 0, sb = 0;
            for (int y = y0; y < y0 + 8; y++) {
                for (int x = x0; x < x0 + 8; x++) {
                    sa += (a.getRGB(x, y) >> shift) & 255;
                    sb += (b.getRGB(x, y) >> shift) & 255;
                }
            }
            worst = Math.max(worst, Math.abs(sa - sb) / 64);
        }
        return worst;
    }

    @Test
    void badArgumentsAreRefused() {
        BufferedImage a = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), b = new BufferedImage(11, 10, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> AnimatedGif.encode(List.of(), 5, 5)).hasMessage("frames must hold 1..2000 images, got 0");
        assertThatThrownBy(() -> AnimatedGif.encode(List.of(a), 0, 5)).hasMessage("delayCentis must be in [1, 65535], got 0");
        assertThatThrownBy(() -> AnimatedGif.encode(List.of(a, b), 5, 5)).hasMessageContaining("frames must all be 10x10");
        assertThatThrownBy(() -> RaceFigure.of(smallRace(), null, null).animationSteps(1)).hasMessage("frames must be in [2, 2000], got 1");
    }

    @Test
    void animationStepsSpanTheWholeRace() {
        RaceFigure f = RaceFigure.of(smallRace(), null, null);
        assertThat(f.animationSteps(5)).containsExactly(0, 10, 20, 30, 40);
        assertThat(f.animationSteps(1000)).hasSize(41);
    }
}

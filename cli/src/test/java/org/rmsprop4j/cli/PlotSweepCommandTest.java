package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotSweepCommandTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Result(code, o.toString(), e.toString());
    }

    @Test
    void plotsARaceToPngSvgGifAndHtml() throws Exception {
        for (String ext : new String[] {"png", "svg", "gif", "html"}) {
            Path out = dir.resolve("race." + ext);
            Result r = run("plot", "--surface", "rosenbrock", "--start", "-1.5,2", "--steps", "30", "--opt", "rmsprop:preset=keras,lr=0.01",
                    "--opt", "adam:lr=0.05", "--out", out.toString(), "--frames", "3", "--size", "480x320");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("rmsprop-keras").contains("adam").contains("wrote " + out);
            assertThat(Files.size(out)).isGreaterThan(500);
        }
        assertThat(ImageIO.read(dir.resolve("race.png").toFile()).getWidth()).isEqualTo(480);
        assertThat(Files.readString(dir.resolve("race.svg"))).startsWith("<?xml").contains("<svg");
        assertThat(Files.readString(dir.resolve("race.html"))).contains("data:image/gif;base64,").contains("Loss by step");
    }

    @Test
    void sweepDrawsTheGridAndReportsTheBestCell() throws Exception {
        Path out = dir.resolve("sweep.png");
        Result r = run("sweep", "--surface", "beale", "--opt", "rmsprop", "--lr", "1e-3:1e3:4", "--decay", "0.5:0.99:3", "--steps", "30",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("best: lr").containsPattern("\\d+ of 12 runs diverged");
        assertThat(ImageIO.read(out.toFile()).getWidth()).isEqualTo(960);
    }

    @Test
    void badInputGetsOneClearLineAndExitCode2() {
        String o = dir.resolve("x.png").toString();
        assertError(run("plot", "--surface", "banana", "--opt", "rmsprop", "--out", o), "surface must be one of", "'banana'");
        assertError(run("plot", "--start", "9,9", "--opt", "rmsprop", "--out", o), "--start must lie in the domain", "(9, 9)");
        assertError(run("plot", "--start", "a,b", "--opt", "rmsprop", "--out", o), "--start must be two finite numbers", "'a,b'");
        assertError(run("plot", "--steps", "0", "--opt", "rmsprop", "--out", o), "--steps must be in [1, 100000]", "got 0");
        assertError(run("plot", "--steps", "100000000", "--opt", "rmsprop", "--out", o), "--steps must be in [1, 100000]", "got 100000000");
        assertError(run("plot", "--opt", "rmsprop", "--out", dir.resolve("x.jpg").toString()), "--out must end in .png, .svg, .gif or .html", "x.jpg");
        assertError(run("plot", "--opt", "rmsprop:lrr=1", "--out", o), "--opt lrr is not a setting of rmsprop; accepted: preset, lr", "(in 'rmsprop:lrr=1')");
        assertError(run("plot", "--opt", "rmsprop", "--panel", "dots", "--out", o), "--panel must be loss or squares", "'dots'");
        assertError(run("plot", "--opt", "rmsprop", "--frames", "1", "--out", o), "--frames must be in [2, 500]", "got 1");
        assertError(run("plot", "--opt", "rmsprop", "--size", "10x10", "--out", o), "--size must be WIDTHxHEIGHT", "'10x10'");
        assertError(run("sweep", "--lr", "1e-4:1:0", "--out", o), "--lr grid size N must be in [1, 200]", "got 0");
        assertError(run("sweep", "--lr", "1e-4:1:500", "--out", o), "--lr grid size N must be in [1, 200]", "got 500");
        assertError(run("sweep", "--lr", "0:1:5", "--out", o), "--lr FROM and TO must be > 0", "'0:1:5'");
        assertError(run("sweep", "--decay", "0.5:1.5:5", "--out", o), "--decay values must be in [0, 1)", "1.5");
        assertError(run("sweep", "--decay", "zero", "--out", o), "--decay must be FROM:TO:N", "'zero'");
        assertError(run("sweep", "--opt", "sgd", "--out", o), "decay of squared gradients", "got sgd");
        assertError(run("sweep", "--lr", "1e-4:1:200", "--decay", "0.1:0.9:200", "--steps", "1000", "--out", o),
                "must be at most 20000000 simulated steps", "= 40000000");
        assertThat(Files.exists(dir.resolve("x.png"))).isFalse();
    }

    private static void assertError(Result r, String... parts) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        for (String p : parts) assertThat(r.err()).contains(p);
    }
}

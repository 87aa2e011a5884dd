package org.rmsprop4j.viz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;
import org.rmsprop4j.sim.Sweep;
import org.w3c.dom.Document;

class OutputsTest {

    @TempDir
    Path dir;

    @Test
    void everyFigureRendersToPngOfItsSizeAndToSvgThatParses() throws Exception {
        var race = AnimatedGifTest.smallRace();
        Surface b = Surfaces.beale();
        Sweep sw = Sweep.run(b, b.start(), 20, RmsPropPreset.PYTORCH.config(), new double[] {1e-3, 1e-1, 1e6}, new double[] {0.5, 0.9}, i -> { });
        List<Drawing> ds = List.of(RaceFigure.of(race, null, RaceFigure.Panel.LOSS), RaceFigure.of(race, null, RaceFigure.Panel.SQUARES).atStep(3),
                Charts.loss(race, null, null), Charts.effectiveStep(race, null, null), new SweepFigure(sw, null));
        for (Drawing d : ds) {
            var img = ImageIO.read(new ByteArrayInputStream(Render.png(d)));
            assertThat(img.getWidth()).isEqualTo(d.width());
            assertThat(img.getHeight()).isEqualTo(d.height());
            Path svg = Render.writeSvg(d, dir.resolve("f.svg"));
            Document doc = Images.parseXml(Files.readString(svg));
            assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
            String[] vb = doc.getDocumentElement().getAttribute("viewBox").trim().split("[ ,]+");
            assertThat(vb).hasSize(4);
            assertThat(Double.parseDouble(vb[2])).isEqualTo(d.width());
            assertThat(Double.parseDouble(vb[3])).isEqualTo(d.height());
            assertThat(doc.getElementsByTagNameNS("*", "text").getLength()).as("labels are text").isGreaterThan(5);
        }
    }

    /** Text needs a font the JDK can find; without one, titles come out blank (or the JDK throws). */
    @Test
    void titlesRenderAsInk() {
        var img = Render.image(RaceFigure.of(AnimatedGifTest.smallRace(), "A title in ink", RaceFigure.Panel.LOSS));
        int dark = 0;
        for (int y = 8; y < 40; y++) {
            for (int x = 16; x < 300; x++) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 255) < 100 && ((p >> 8) & 255) < 100 && (p & 255) < 100) dark++;
            }
        }
        assertThat(dark).as("dark title pixels").isGreaterThan(300);
    }

    @Test
    void reportIsOneSelfContainedFile() throws Exception {
        var race = AnimatedGifTest.smallRace();
        RaceFigure f = RaceFigure.of(race, null, RaceFigure.Panel.LOSS, 360, 240, null);
        HtmlReport r = new HtmlReport("a <test> report");
        r.heading("race").paragraph("text & more")
                .image(AnimatedGif.encode(f.animationFrames(3, i -> { }), 10, 10), "image/gif", "anim", "caption")
                .image(Render.png(f), "image/png", "png", "c").svg(f, "svg").svg(Charts.loss(race, null, null), "svg 2")
                .settings(race, null).lossTable(race, null);
        Path p = r.write(dir.resolve("report.html"));
        String html = Files.readString(p, StandardCharsets.UTF_8);
        assertSelfContained(html);
        assertThat(html).contains("a &lt;test&gt; report").contains("text &amp; more").contains("data:image/gif;base64,")
                .contains("<svg").contains("Loss by step").contains("rmsprop");
        // the two inline SVGs do not share ids
        assertThat(html).containsPattern("id=['\"]f1-root['\"]").containsPattern("id=['\"]f2-root['\"]");
    }

    /** No src, href or CSS url() may point outside the file; only data: URIs and fragment links are allowed. */
    static void assertSelfContained(String html) {
        Matcher m = Pattern.compile("(?i)(?:src|href|xlink:href)\\s*=\\s*[\"']([^\"']*)[\"']").matcher(html);
        int refs = 0;
        while (m.find()) {
            refs++;
            assertThat(m.group(1)).as("reference %s", m.group(0).substring(0, Math.min(80, m.group(0).length())))
                    .matches("(?s)(data:|#).*");
        }
        assertThat(refs).as("the report has inlined images").isGreaterThan(0);
        assertThat(html).doesNotContainPattern("(?i)url\\(\\s*['\"]?(https?:|//)");
        assertThat(html).doesNotContainPattern("(?i)<(script|link|iframe|object|embed)\\b");
        assertThat(html).doesNotContainPattern("(?i)@import");
    }
}

package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --out DIR} names its folder and writes the article's four outputs there. */
class DemoFiguresTest {

    @TempDir Path dir;

    @Test
    void demoWritesTheArticleFiguresAndTheReport() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Path target = dir.resolve("figs");
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "demo", "--out", target.toString());
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("Writing the article's figures to " + target.toAbsolutePath().normalize());
        List<String> names;
        try (var s = Files.list(target)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).anyMatch(n -> n.startsWith("fig1") && n.endsWith(".gif"))
                .anyMatch(n -> n.startsWith("fig1") && n.endsWith(".png")).anyMatch(n -> n.startsWith("fig1") && n.endsWith(".svg"))
                .anyMatch(n -> n.startsWith("fig2") && n.endsWith(".gif")).anyMatch(n -> n.startsWith("fig3") && n.endsWith(".png"))
                .contains("report.html");
        for (String n : names) assertThat(Files.size(target.resolve(n))).as(n).isGreaterThan(1000);
    }
}

package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The README's sample outputs are what the program prints: each sample sits between
 * {@code <!-- sample: NAME -->} and {@code <!-- /sample -->}; its first line is the command (after
 * 4 spaces), every other line but {@code ...} must be a line of the real output, in order.
 */
class ReadmeSamplesTest {

    static final Path README = Path.of("../README.md");

    static List<String> sample(String name) throws Exception {
        List<String> lines = Files.readAllLines(README);
        int from = lines.indexOf("<!-- sample: " + name + " -->");
        assertThat(from).as("README has no sample '" + name + "'").isNotNegative();
        List<String> out = new ArrayList<>();
        for (int i = from + 1; !lines.get(i).equals("<!-- /sample -->"); i++) if (!lines.get(i).isBlank()) out.add(lines.get(i));
        return out;
    }

    /** Checks that the sample's lines (after the command line) are lines of {@code printed}, in order. */
    static void checkLines(String name, String printed) throws Exception {
        List<String> s = sample(name);
        List<String> real = printed.lines().toList();
        int at = 0;
        for (String line : s.subList(1, s.size())) {
            String want = line.startsWith("    ") ? line.substring(4) : line;
            if (want.equals("...")) continue;
            int found = real.subList(at, real.size()).indexOf(want);
            assertThat(found).as("README sample '" + name + "': this line is not printed (in this order): " + want + "\nprinted:\n" + printed)
                    .isNotNegative();
            at += found + 1;
        }
    }

    /** Runs the sample's command (arguments passed through {@code arg}, as the test runs from cli/) and checks its lines. */
    static void check(String name, java.util.function.UnaryOperator<String> arg) throws Exception {
        List<String> s = sample(name);
        assertThat(s.get(0)).startsWith("    ./rmsprop4j ");
        String[] args = s.get(0).strip().substring("./rmsprop4j ".length()).split(" ");
        for (int i = 0; i < args.length; i++) args[i] = arg.apply(args[i]);
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
        List<String> real = out.toString().lines().toList();
        int at = 0;
        for (String line : s.subList(1, s.size())) {
            String want = line.startsWith("    ") ? line.substring(4) : line;
            if (want.equals("...")) continue;
            int found = real.subList(at, real.size()).indexOf(want);
            assertThat(found).as("README sample '" + name + "': this line is not printed (in this order): " + want + "\nprinted:\n" + out)
                    .isNotNegative();
            at += found + 1;
        }
    }

    /** The demo's table and what it says about RMSprop (the table part of {@code demo}, without the real-data training). */
    @Test
    void demoSample() throws Exception {
        assertThat(sample("demo").get(0)).isEqualTo("    ./rmsprop4j demo");
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        DemoCommand.printTable(w, org.rmsprop4j.train.seed.SeedComparison.compute());
        w.flush();
        checkLines("demo", out.toString());
    }

    @Test
    void conformanceSample() throws Exception {
        check("conformance", a -> a.startsWith("testkit/") ? "../" + a : a);
    }
}

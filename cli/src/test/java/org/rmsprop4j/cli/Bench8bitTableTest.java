package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.StateQuantization;

/** The {@code bench --state} table keeps its columns under the header whatever the state labels' lengths. */
class Bench8bitTableTest {

    @Test
    void columnsLineUpForLongStateLabels() {
        List<Bench8bit.Row> rows = List.of(
                new Bench8bit.Row(StateQuantization.none(), "", 1000, 1, 0.4, 0.39, 4000, null),
                new Bench8bit.Row(StateQuantization.parse("fp8-256-unbiased"), "vector", 1000, 1, 0.7, 0.69, 1016, null),
                new Bench8bit.Row(StateQuantization.parse("8bit-2048"), "scalar", 1000, 2, 1.5, 1.4, 1002, 0.2));
        List<Baselines.Result> cs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) cs.add(Baselines.Result.missing("test"));
        StringWriter sw = new StringWriter();
        try (PrintWriter out = new PrintWriter(sw)) {
            Bench8bit.printTable(out, rows, cs);
        }
        List<String> lines = sw.toString().lines().filter(l -> l.contains("|")).toList();
        assertThat(lines).hasSize(1 + rows.size());
        assertThat(rows.get(1).label()).hasSizeGreaterThan(16);  // longer than the old fixed column
        List<Integer> header = bars(lines.get(0));
        for (String l : lines.subList(1, lines.size())) assertThat(bars(l)).as(l).isEqualTo(header);
    }

    private static List<Integer> bars(String line) {
        List<Integer> at = new ArrayList<>();
        for (int i = line.indexOf('|'); i >= 0; i = line.indexOf('|', i + 1)) at.add(i);
        return at;
    }
}

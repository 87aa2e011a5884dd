package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command's --help fits 80 columns and never breaks a word, flag or value in two. */
class HelpTextTest {

    static Stream<String> commands() {
        return Stream.concat(Stream.of(""), Main.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help")));
    }

    static String help(String command) {
        StringWriter out = new StringWriter();
        String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args)).isZero();
        return out.toString();
    }

    /** The words (runs without blanks) of the command's own texts: description, footer, option descriptions. */
    static List<String> words(CommandSpec spec) {
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        for (OptionSpec o : spec.options()) texts.addAll(List.of(o.description()));
        List<String> out = new ArrayList<>();
        for (String t : texts) for (String w : t.split("\\s+")) if (w.length() > 1 && !w.contains("${") && !w.contains("%n")) out.add(w);
        return out;
    }

    @ParameterizedTest(name = "rmsprop4j {0} --help")
    @MethodSource("commands")
    void helpFitsEightyColumnsAndKeepsEveryWordWhole(String command) {
        String text = help(command);
        CommandLine cl = Main.commandLine();
        CommandSpec spec = command.isEmpty() ? cl.getCommandSpec() : cl.getSubcommands().get(command).getCommandSpec();
        StringBuilder unwrapped = new StringBuilder();
        for (String line : text.split("\n")) {
            assertThat(line.length()).as(command + ": " + line).isLessThanOrEqualTo(80);
            unwrapped.append(line.strip()).append('\n');
        }
        for (String w : words(spec)) assertThat(unwrapped.toString()).as(command + " --help breaks '" + w + "'").contains(w);
    }
}

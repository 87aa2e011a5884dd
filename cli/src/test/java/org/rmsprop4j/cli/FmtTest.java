package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.RmsPropPreset;

class FmtTest {

    @Test
    void lossesReadWellAtEveryMagnitude() {
        assertThat(Fmt.loss(6785984864762181000000000000000.0)).isEqualTo("6.786e+30"); // was 6785984864762181000000000000000.0000
        assertThat(Fmt.loss(0.1234567)).isEqualTo("0.1235");
        assertThat(Fmt.loss(3.2e-7)).isEqualTo("3.200e-07");
        assertThat(Fmt.loss(0)).isEqualTo("0.0000");
        assertThat(Fmt.loss(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void learningRatesNeverPrintAsZeroUnlessZero() {
        assertThat(Fmt.lr(0.00146)).isEqualTo("0.00146");
        assertThat(Fmt.lr(0.001)).isEqualTo("0.001");
        assertThat(Fmt.lr(0.0)).isEqualTo("0");
        assertThat(Fmt.lr(3e-6)).isEqualTo("3.00e-06"); // "lr 0.00" before
        assertThat(Fmt.count(1, "epoch")).isEqualTo("1 epoch");
        assertThat(Fmt.count(2, "epoch")).isEqualTo("2 epochs");
    }

    @Test
    void theProgressBarIsForTerminalsOnly() {
        assertThat(Fmt.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Fmt.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Fmt.isTerminalDevice("/tmp/log")).isFalse();     // 2> log
        assertThat(Fmt.isTerminalDevice("pipe:[12345]")).isFalse(); // | tee
        assertThat(Fmt.isTerminalDevice("/dev/null")).isFalse();
        // under the test runner stderr is a pipe or a file
        assertThat(Fmt.stderrIsTerminal()).isFalse();
    }

    @Test
    void theOptimizerLineNamesOnlyWhatIsOn() {
        String line = TrainCommand.describe(RmsPropPreset.PYTORCH.config());
        assertThat(line).isEqualTo("rmsprop: learningRate 0.01, decay 0.99, eps 1.00e-08, epsPlacement outside");
        String momentum = TrainCommand.describe(RmsPropPreset.PYTORCH.config().toBuilder().momentum(0.9).build());
        assertThat(momentum).contains("momentum 0.9, momentumStyle lr_outside");
    }

    @Test
    void versionIsThePomsVersion() {
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-V");
        assertThat(out.toString()).matches("rmsprop4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)\\s*");
    }
}

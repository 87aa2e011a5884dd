package org.rmsprop4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

import org.rmsprop4j.train.EpochMetrics;
import org.rmsprop4j.train.TrainingListener;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress. When stderr is a terminal ({@link Fmt#stderrIsTerminal()}): a progress bar per
 * epoch on stderr (me.tongfei:progressbar). Otherwise (pipes, CI): one line on stderr per ~10% of
 * the run, so logs stay readable. In both cases one summary line per epoch on {@code out}.
 */
final class ConsoleProgress implements TrainingListener {
    private final PrintWriter out;
    private final PrintStream err;
    private final boolean bar;
    private final int epochs;
    private ProgressBar pb;
    private long totalBatches = -1, done, nextReport;
    private double lossSum;
    private int lossCount;

    ConsoleProgress(PrintWriter out, PrintStream err, boolean bar, int epochs) {
        this.out = out;
        this.err = err;
        this.bar = bar;
        this.epochs = epochs;
    }

    @Override public void epochStarted(int epoch, int batches, int firstBatch) {
        if (totalBatches < 0) {
            totalBatches = (long) batches * (epochs - epoch + 1) - firstBatch;
            nextReport = Math.max(1, (totalBatches + 9) / 10);
        }
        lossSum = 0;
        lossCount = 0;
        if (bar) {
            pb = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs)).setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(200)
                    .continuousUpdate().build();
            pb.stepTo(firstBatch);
        }
    }

    @Override public void batchDone(int epoch, int batch, int batches, double loss) {
        lossSum += loss;
        lossCount++;
        done++;
        if (pb != null) {
            pb.stepTo(batch);
            pb.setExtraMessage("loss " + Fmt.loss(lossSum / lossCount));
        } else if (!bar && done >= nextReport) {
            err.printf(Locale.ROOT, "  %3d%%  epoch %d/%d, batch %d/%d, loss %s%n", Math.min(100, Math.round(100.0 * done / totalBatches)),
                    epoch, epochs, batch, batches, Fmt.loss(lossSum / lossCount));
            err.flush();
            nextReport += Math.max(1, (totalBatches + 9) / 10);
        }
    }

    @Override public void epochDone(EpochMetrics m) {
        if (pb != null) {
            pb.close();
            pb = null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  train loss %s", m.epoch(), epochs, Fmt.loss(m.trainLoss())));
        if (!Double.isNaN(m.valLoss())) sb.append("  val loss ").append(Fmt.loss(m.valLoss()));
        if (!Double.isNaN(m.testLoss())) sb.append("  test loss ").append(Fmt.loss(m.testLoss())).append(String.format(Locale.ROOT, "  test accuracy %.4f", m.testAccuracy()));
        sb.append(String.format(Locale.ROOT, "  lr %s  %.1f s", Fmt.lr(m.learningRate()), m.seconds()));
        out.println(sb);
        out.flush();
    }

    /** Closes a bar left open by an interrupted epoch. */
    void close() {
        if (pb != null) pb.close();
    }
}

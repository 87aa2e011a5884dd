package org.rmsprop4j.train;

import java.util.Locale;

/**
 * What a {@link Trainer} measured in one epoch. Losses are means per row (plus the L2 penalty for
 * the training loss); {@code NaN} where there is no such part.
 *
 * @param epoch         1-based epoch number
 * @param step          optimizer steps taken so far
 * @param trainLoss     mean loss over the epoch's batches, each at the parameters before its step
 * @param valLoss       mean loss on the validation part after the epoch
 * @param testLoss      mean loss on the test part after the epoch
 * @param testAccuracy  fraction of the test part classified correctly
 * @param learningRate  learning rate of the next step (schedule applied), default group
 * @param seconds       wall time of the epoch including evaluation
 */
public record EpochMetrics(int epoch, long step, double trainLoss, double valLoss, double testLoss, double testAccuracy,
                           double learningRate, double seconds) {
    /** The CSV header matching {@link #csv()}. */
    public static final String CSV_HEADER = "epoch,step,train_loss,val_loss,test_loss,test_accuracy,learning_rate,seconds";

    /** One CSV line (no newline). */
    public String csv() {
        return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%.3f", epoch, step, num(trainLoss), num(valLoss), num(testLoss),
                num(testAccuracy), num(learningRate), seconds);
    }

    /** One JSON object on one line (no newline); {@code NaN} is written as {@code null}. */
    public String json() {
        return String.format(Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"train_loss\":%s,\"val_loss\":%s,\"test_loss\":%s,"
                + "\"test_accuracy\":%s,\"learning_rate\":%s,\"seconds\":%.3f}", epoch, step, jnum(trainLoss), jnum(valLoss),
                jnum(testLoss), jnum(testAccuracy), jnum(learningRate), seconds);
    }

    private static String num(double v) { return Double.isNaN(v) ? "" : Double.toString(v); }

    private static String jnum(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }
}

package org.rmsprop4j.train.model;

import java.util.Locale;

import org.rmsprop4j.internal.Checks;

/**
 * Builds a {@link Model} from a short spec, as the command line takes it.
 *
 * <table>
 * <caption>Model specs</caption>
 * <tr><th>spec</th><th>model</th></tr>
 * <tr><td>{@code softmax}</td><td>softmax (multinomial logistic) regression: {@link Mlp} without hidden layers</td></tr>
 * <tr><td>{@code logistic}</td><td>binary {@link LogisticRegression} (two classes only)</td></tr>
 * <tr><td>{@code mlp:128,64}</td><td>{@link Mlp} with hidden layers of 128 and 64 ReLU units</td></tr>
 * <tr><td>{@code mlp:128,64:tanh}</td><td>the same with {@code tanh} (or {@code relu}, {@code sigmoid})</td></tr>
 * </table>
 */
public final class Models {
    private Models() {}

    /** Largest accepted hidden-layer width. */
    public static final int MAX_WIDTH = 1 << 16;

    /**
     * A model for {@code inputs} features and {@code classes} classes.
     *
     * @throws IllegalArgumentException naming the spec and what is accepted, e.g. for {@code mlp:0}
     *                                  or {@code mlp:abc}, or {@code logistic} with more than 2 classes
     */
    public static Model parse(String spec, int inputs, int classes, double l2) {
        String accepted = "softmax, logistic, mlp:W[,W...][:relu|tanh|sigmoid] with widths 1.." + MAX_WIDTH;
        if (spec == null || spec.isBlank()) throw Checks.invalid("model", spec == null ? null : "'" + spec + "'", accepted);
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("softmax")) return new Mlp(inputs, new int[0], classes, Activation.RELU, l2);
        if (s.equals("logistic")) {
            if (classes != 2) throw Checks.invalid("model", "'logistic' for " + classes + " classes", "softmax or mlp:... (logistic is for 2 classes)");
            return new LogisticRegression(inputs, l2);
        }
        if (s.startsWith("mlp:")) {
            String[] parts = s.substring(4).split(":", -1);
            if (parts.length > 2 || parts[0].isEmpty()) throw Checks.invalid("model", "'" + spec + "'", accepted);
            String[] ws = parts[0].split(",", -1);
            int[] hidden = new int[ws.length];
            for (int i = 0; i < ws.length; i++) {
                int w;
                try {
                    w = Integer.parseInt(ws[i].trim());
                } catch (NumberFormatException e) {
                    throw Checks.invalid("hidden layer width in model '" + spec + "'", "'" + ws[i] + "'", "a whole number in 1.." + MAX_WIDTH);
                }
                if (w < 1 || w > MAX_WIDTH) throw Checks.invalid("hidden layer width in model '" + spec + "'", w, "in 1.." + MAX_WIDTH);
                hidden[i] = w;
            }
            Activation act = parts.length == 2 ? Activation.byName(parts[1]) : Activation.RELU;
            return new Mlp(inputs, hidden, classes, act, l2);
        }
        throw Checks.invalid("model", "'" + spec + "'", accepted);
    }
}

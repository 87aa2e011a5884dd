package org.rmsprop4j.train.model;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.ParamLayout;

/**
 * The seed article's model: one sigmoid neuron {@code f(x) = 1/(1+e^−(w·x+b))} fitted to real targets
 * with the summed squared error {@code L(w,b) = Σ ½(f(x_i) − y_i)²}, full batch, float64.
 *
 * <pre>{@code
 * ∂L/∂w = Σ (f − y)·f·(1 − f)·x        ∂L/∂b = Σ (f − y)·f·(1 − f)
 * }</pre>
 *
 * Sums run over the data in the given order, and each term is evaluated left to right as written
 * above, so results are reproducible bit for bit (and match {@code tools/reference/seed_demo.py}).
 * Parameters: {@code "w"} and {@code "b"}, one element each, in that order.
 */
public final class SigmoidNeuron {
    /** The article's inputs. */
    public static final double[] ARTICLE_X = {0.5, 2.5};
    /** The article's targets. */
    public static final double[] ARTICLE_Y = {0.2, 0.9};

    private static final ParamLayout LAYOUT = ParamLayout.builder().add("w", 1).add("b", 1).build();

    private final double[] x;
    private final double[] y;

    /** A neuron fitted to the points {@code (x[i], y[i])}; both arrays the same non-zero length. */
    public SigmoidNeuron(double[] x, double[] y) {
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        if (x.length == 0 || x.length != y.length) throw Checks.invalid("y.length", y.length, "x.length (" + x.length + ") and > 0");
        this.x = x.clone();
        this.y = y.clone();
    }

    /** The article's problem: X = [0.5, 2.5], Y = [0.2, 0.9]. */
    public static SigmoidNeuron article() { return new SigmoidNeuron(ARTICLE_X, ARTICLE_Y); }

    /** {@code w} then {@code b}. */
    public ParamLayout layout() { return LAYOUT; }

    /** {@code f(x) = 1/(1+exp(−(w·x+b)))}. */
    public static double output(double w, double b, double x) { return 1.0 / (1.0 + Math.exp(-(w * x + b))); }

    /** {@code L(w,b)}. */
    public double loss(double w, double b) {
        double total = 0.0;
        for (int i = 0; i < x.length; i++) {
            double d = output(w, b, x[i]) - y[i];
            total += 0.5 * d * d;
        }
        return total;
    }

    /** Writes {@code ∂L/∂w, ∂L/∂b} into {@code grad[0..1]} and returns {@code L}, at {@code params = {w, b}}. */
    public double lossAndGradient(double[] params, double[] grad) {
        double w = params[0], b = params[1];
        double dw = 0.0, db = 0.0;
        for (int i = 0; i < x.length; i++) {
            double f = output(w, b, x[i]);
            dw += (f - y[i]) * f * (1.0 - f) * x[i];
            db += (f - y[i]) * f * (1.0 - f);
        }
        grad[0] = dw;
        grad[1] = db;
        return loss(w, b);
    }

    /**
     * The exact minimiser when there are two points with distinct x and targets in (0, 1): the line
     * through their logits, {@code w* = (logit y₂ − logit y₁)/(x₂ − x₁)}, {@code b* = logit y₁ − w*·x₁}
     * (the loss is then 0). For the article's data, {@code w* = ln 6}.
     */
    public double[] exactOptimum() {
        if (x.length != 2 || x[0] == x[1]) throw new IllegalStateException("the closed form needs exactly two points with distinct x");
        double l1 = logit(y[0]), l2 = logit(y[1]);
        double w = (l2 - l1) / (x[1] - x[0]);
        return new double[] {w, l1 - w * x[0]};
    }

    private static double logit(double p) { return Math.log(p / (1 - p)); }
}

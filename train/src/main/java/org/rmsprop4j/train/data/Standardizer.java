package org.rmsprop4j.train.data;

import org.rmsprop4j.internal.Checks;

/**
 * Per-feature standardisation {@code (x − mean) / std}, fitted on one data set (the training part)
 * and applied unchanged to others, so that nothing about the test part leaks into training. A
 * feature that is constant in the fitting data (std 0, e.g. MNIST's border pixels) is only centred.
 * Mean and population standard deviation are computed in double.
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits the mean and standard deviation of every feature of {@code data}. */
    public static Standardizer fit(Dataset data) {
        Checks.notNull("data", data);
        int d = data.features(), n = data.size();
        if (n == 0) throw Checks.invalid("size of " + data.name(), 0, ">= 1 row to fit a standardisation");
        float[] x = data.x();
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) for (int j = 0; j < d; j++) mean[j] += x[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[] var = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                double c = x[r * d + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(var[j] / n);
            scale[j] = sd > 0 ? 1.0 / sd : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /** {@code data} standardised with the fitted statistics. */
    public Dataset apply(Dataset data) {
        int d = data.features();
        if (d != mean.length) throw Checks.invalid("features of " + data.name(), d, mean.length + " (as the fitted data)");
        float[] x = data.x();
        float[] out = new float[x.length];
        for (int r = 0, n = data.size(); r < n; r++) {
            for (int j = 0; j < d; j++) out[r * d + j] = (float) ((x[r * d + j] - mean[j]) * scale[j]);
        }
        return new Dataset(data.name(), d, data.classNames(), out, data.y());
    }

    /** The fitted mean of feature {@code j}. */
    public double mean(int j) { return mean[j]; }

    /** The factor feature {@code j} is multiplied by after centring (1/std, or 1 for a constant feature). */
    public double scale(int j) { return scale[j]; }
}

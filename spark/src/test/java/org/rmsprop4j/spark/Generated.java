package org.rmsprop4j.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.rmsprop4j.train.Rng;

/** A generated classification data set: Gaussian blobs, one centre per class, written as CSV. */
final class Generated {
    private Generated() {}

    static void writeCsv(Path file, int rows, int features, int classes, long seed) throws IOException {
        Rng rng = new Rng(seed);
        double[][] centre = new double[classes][features];
        for (double[] c : centre) for (int j = 0; j < features; j++) c[j] = 2 * rng.nextDouble() - 1;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                int k = rng.nextInt(classes);
                sb.setLength(0);
                for (int j = 0; j < features; j++) {
                    double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
                    sb.append((float) (centre[k][j] + 0.8 * g)).append(','); // Float.toString: locale-free, and fast
                }
                w.append(sb).append(Integer.toString(k)).append('\n');
            }
        }
    }
}

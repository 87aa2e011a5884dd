package org.rmsprop4j.benchdl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;

/**
 * DL4J's half of the MLP-epoch comparison: the MLP 784-128-64-10 (ReLU, softmax cross-entropy,
 * Xavier initialisation) on the 8,000 MNIST-10k training images scaled to [0, 1], mini-batches of
 * 64 reshuffled every epoch, RMSprop lr 1e-3, decay 0.99, eps 1e-8, float32, on ND4J's native CPU
 * backend. One warm-up epoch, then {@code --epochs} timed ones (shuffle, batching, forward,
 * backward and update; the data loading is not timed). Prints one JSON object with the median.
 *
 * <pre>java -cp bench-dl4j/target/classes:$(cat bench-dl4j/target/classpath.txt) org.rmsprop4j.benchdl4j.Dl4jMlpEpoch --threads 1 --epochs 3</pre>
 *
 * Threads: set {@code OMP_NUM_THREADS} to the same number (ND4J's OpenMP and OpenBLAS read it when
 * they start; {@code rmsprop4j bench} does this); {@code --threads} also sets ND4J's environment.
 */
public final class Dl4jMlpEpoch {
    private Dl4jMlpEpoch() {}

    public static void main(String[] args) throws Exception {
        int threads = 1, epochs = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = positive("--threads", args[++i]);
                case "--epochs" -> epochs = positive("--epochs", args[++i]);
                default -> {
                    System.err.println("Dl4jMlpEpoch: unknown argument '" + args[i] + "'; accepted: --threads N, --epochs N");
                    System.exit(2);
                }
            }
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Dataset train = Datasets.mnist10k().train().scaled(1.0 / 255);
        int n = train.size(), d = train.features(), k = 10;
        INDArray x = Nd4j.create(train.x(), new long[] {n, d}, 'c');
        float[] onehot = new float[n * k];
        for (int i = 0; i < n; i++) onehot[i * k + train.y()[i]] = 1f;
        INDArray y = Nd4j.create(onehot, new long[] {n, k}, 'c');
        DataSet all = new DataSet(x, y);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(0).dataType(DataType.FLOAT).updater(new RmsProp(1e-3, 0.99, 1e-8)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(128).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(128).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(k).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        List<Double> times = new ArrayList<>();
        long seed = 0;
        for (int e = 0; e <= epochs; e++) {
            long t0 = System.nanoTime();
            all.shuffle(seed++);
            for (DataSet batch : all.batchBy(64)) net.fit(batch);
            double s = (System.nanoTime() - t0) / 1e9;
            if (e > 0) times.add(s);
        }
        INDArray predicted = net.output(x).argMax(1);
        INDArray truth = y.argMax(1);
        double acc = predicted.eq(truth).castTo(DataType.FLOAT).meanNumber().doubleValue();
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"dl4j\", \"dl4j_version\": \"1.0.0-M2.1\", \"backend\": \"%s\", \"threads\": %d, \"epochs_timed\": %d, "
                        + "\"seconds_per_epoch\": %s, \"epoch_seconds\": %s, \"train_accuracy\": %s}",
                Nd4j.getBackend().getClass().getSimpleName(), threads, epochs, median, Arrays.toString(sorted), acc));
    }

    private static int positive(String name, String v) {
        try {
            int i = Integer.parseInt(v);
            if (i >= 1) return i;
        } catch (NumberFormatException e) {
            // below
        }
        System.err.println("Dl4jMlpEpoch: " + name + " must be a whole number >= 1, got '" + v + "'");
        System.exit(2);
        return 0;
    }
}

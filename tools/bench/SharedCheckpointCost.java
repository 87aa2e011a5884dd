import java.nio.file.*;
import org.rmsprop4j.optim.*;
import org.rmsprop4j.train.*;
import org.rmsprop4j.train.data.*;
import org.rmsprop4j.train.model.*;

/**
 * What an epoch-end checkpoint costs shared-state training: MNIST-10k, mlp:128,64, RMSprop 1e-3, batch 64,
 * 2 workers, runs without and with a checkpoint folder alternating (4 pairs); per run the mean wall time of
 * epochs 2..N and the mean time from epochDone to checkpointWritten (building, checksumming and atomically
 * writing checkpoint.bin). Run from the repository root after building the CLI jar:
 *
 *   flock /work/bench.lock java -cp cli/target/rmsprop4j.jar tools/bench/SharedCheckpointCost.java 5
 */
public class SharedCheckpointCost {
    public static void main(String[] a) throws Exception {
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        int epochs = Integer.parseInt(a.length > 0 ? a[0] : "4");
        Path dir = Files.createTempDirectory("ckbench");
        for (String mode : new String[] {"none", "ckpt", "none", "ckpt", "none", "ckpt", "none", "ckpt"}) {
            Model m = Models.parse("mlp:128,64", 784, 10, 0);
            Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout()).build();
            TrainConfig cfg = TrainConfig.builder().epochs(epochs).batchSize(64).seed(42).checkpointDir(mode.equals("ckpt") ? dir : null).build();
            long[] done = new long[1];
            double[] ck = new double[1];
            double[] ep = new double[1];
            try (SharedStateTrainer t = new SharedStateTrainer(m, opt, cfg, 2)) {
                t.fit(sp.train(), null, null, new TrainingListener() {
                    @Override public void epochDone(EpochMetrics e) { done[0] = System.nanoTime(); if (e.epoch() > 1) ep[0] += e.seconds(); }
                    @Override public void checkpointWritten(Path f, long s) { if (s > 125) ck[0] += (System.nanoTime() - done[0]) / 1e9; }
                });
            }
            System.out.printf("%s: epochs 2..%d mean %.4f s/epoch, checkpoint mean %.4f s (%d bytes)%n", mode, epochs, ep[0] / (epochs - 1),
                    ck[0] / (epochs - 1), mode.equals("ckpt") ? Files.size(dir.resolve(Checkpoint.FILE_NAME)) : 0);
        }
    }
}

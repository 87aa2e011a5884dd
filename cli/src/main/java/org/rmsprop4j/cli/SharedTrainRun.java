package org.rmsprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

import org.rmsprop4j.optim.NonFiniteGradientException;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.train.SharedStateTrainer;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;

/** {@code train --shared-threads K}: the asynchronous, lock-free mode ({@link SharedStateTrainer}). */
final class SharedTrainRun {
    private SharedTrainRun() {}

    /** Refuses options the mode cannot honour; returns the thread count to show. */
    static int check(int k, Integer threads, String spark, Path resume, Path checkpointDir, Long checkpointEverySteps) {
        if (k < 1 || k > SharedStateTrainer.MAX_WORKERS) {
            throw new CliException("--shared-threads must be in 1.." + SharedStateTrainer.MAX_WORKERS + ", got " + k);
        }
        if (threads != null) {
            throw new CliException("--threads and --shared-threads exclude each other: --threads " + threads
                    + " sets the threads of synchronous training, --shared-threads " + k + " the workers of the asynchronous mode; give one");
        }
        if (spark != null) throw new CliException("--shared-threads runs on this machine only; leave out --spark " + spark);
        if (resume != null) throw new CliException("--shared-threads cannot --resume (its runs are not reproducible, so it writes no checkpoints)");
        if (checkpointDir != null || checkpointEverySteps != null) {
            throw new CliException("--shared-threads writes no checkpoints; leave out --checkpoint-dir and --checkpoint-every-steps");
        }
        return k;
    }

    /** Refuses an optimizer shared-state stepping does not support (a family other than RMSprop, SGD, Adam; an unfused chain). */
    static void checkOptimizer(Optimizer optimizer) {
        try {
            optimizer.shared().close();
        } catch (IllegalArgumentException e) {
            throw new CliException("--shared-threads: " + e.getMessage());
        }
    }

    static int run(PrintWriter out, Model m, Optimizer optimizer, TrainConfig cfg, int k, Dataset train, Dataset val, Dataset test,
                   TrainingListener listener, long t0) {
        SharedStateTrainer t;
        try {
            t = new SharedStateTrainer(m, optimizer, cfg, k);
        } catch (IllegalArgumentException e) {
            throw new CliException("--shared-threads: " + e.getMessage());
        }
        out.printf(Locale.ROOT, "shared %d worker%s on shared parameters and optimizer state, lock-free (racy: results vary from run to run)%n",
                k, k == 1 ? "" : "s");
        out.flush();
        try (t) {
            Trainer.Result r;
            try {
                r = t.fit(train, val, test, listener);
            } catch (NonFiniteGradientException e) {
                throw new CliException("training stopped in epoch " + (t.epochsDone() + 1) + " (rolled back to its start): " + e.getMessage()
                        + " (try a lower --lr or --clip-norm)");
            }
            long[] ws = t.workerSteps();
            StringBuilder per = new StringBuilder();
            for (long s : ws) per.append(per.length() == 0 ? "" : " + ").append(s);
            out.printf(Locale.ROOT, "test accuracy %.4f  test loss %s  (%s%s, %s = %s by worker, %.1f s)%n", r.test().accuracy(),
                    Fmt.loss(r.test().loss()), Fmt.count(r.epochsDone(), "epoch"), r.stoppedEarly() ? ", stopped early" : "",
                    Fmt.count(r.steps(), "step"), per, (System.nanoTime() - t0) / 1e9);
        }
        out.flush();
        return 0;
    }
}

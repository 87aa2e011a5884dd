package org.rmsprop4j.cli;

import java.io.IOException;
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

    /** Refuses options the mode cannot honour; returns the thread count to show. {@code k} null: --dynamic-batches alone. */
    static int check(Integer k, Integer threads, String spark, Long checkpointEverySteps, boolean dynamicBatches) {
        if (k == null) {
            throw new CliException("--dynamic-batches deals batches to the workers of --shared-threads K; give --shared-threads too "
                    + "(synchronous training computes every batch with all its --threads)");
        }
        if (k < 1 || k > SharedStateTrainer.MAX_WORKERS) {
            throw new CliException("--shared-threads must be in 1.." + SharedStateTrainer.MAX_WORKERS + ", got " + k);
        }
        if (threads != null) {
            throw new CliException("--threads and --shared-threads exclude each other: --threads " + threads
                    + " sets the threads of synchronous training, --shared-threads " + k + " the workers of the asynchronous mode; give one");
        }
        if (spark != null) throw new CliException("--shared-threads runs on this machine only; leave out --spark " + spark);
        if (checkpointEverySteps != null) {
            throw new CliException("--shared-threads checkpoints at epoch ends only (while workers run, no exact state exists); leave out "
                    + "--checkpoint-every-steps " + checkpointEverySteps + " (--checkpoint-every-epochs N is accepted)");
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

    /** Rewords a refused resume for the command line ({@code --epochs} rather than the field); shared by both modes. */
    static RuntimeException resumeError(IllegalArgumentException e) {
        String why = String.valueOf(e.getMessage());
        if (why.startsWith("cannot resume: the checkpoint has finished")) {
            return new CliException(why.replace("this run asks for", "--epochs is").replace("ask for more than", "give --epochs more than")
                    + " (--epochs counts every epoch, those done included)");
        }
        if (why.startsWith("cannot resume: the checkpoint was written inside epoch")) return new CliException("--shared-threads: " + why);
        return e;
    }

    static int run(PrintWriter out, Model m, Optimizer optimizer, TrainConfig cfg, int k, boolean dynamicBatches, Path resume, Dataset train,
                   Dataset val, Dataset test, TrainingListener listener, long t0) throws IOException {
        SharedStateTrainer t;
        try {
            t = new SharedStateTrainer(m, optimizer, cfg, k);
        } catch (IllegalArgumentException e) {
            throw new CliException("--shared-threads: " + e.getMessage());
        }
        t.dynamicBatches(dynamicBatches);
        if (resume != null) {
            try {
                t.resume(ResumeState.load(out, resume, optimizer)); // an 8-bit checkpoint's state is converted, saying so
            } catch (IllegalArgumentException e) {
                t.close();
                throw resumeError(e);
            } catch (IOException | RuntimeException e) {
                t.close();
                throw e;
            }
        }
        out.printf(Locale.ROOT, "shared %d worker%s on shared parameters and optimizer state, lock-free (racy: results vary from run to run)%s%n",
                k, k == 1 ? "" : "s", dynamicBatches ? ", batches dealt on demand" : "");
        out.flush();
        try (t) {
            if (resume != null) {
                t.checkTrainingData(train); // other data or preprocessing: refused before "resumed from" is printed
                if (t.stoppedEarly()) {
                    out.printf(Locale.ROOT, "resumed from %s: the run had stopped early after epoch %d (no lower loss for --patience %d epochs); "
                            + "no further epochs%n", resume, t.epochsDone(), cfg.patience());
                } else {
                    out.printf(Locale.ROOT, "resumed from %s at epoch %d, step %d (exact state; the run from here is racy)%n", resume,
                            t.epochsDone() + 1, t.steps());
                }
            }
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
            long thisRun = java.util.Arrays.stream(ws).sum();
            String steps = Fmt.count(r.steps(), "step") + (thisRun == r.steps() ? "" : ", " + thisRun + " in this run"); // resumed: earlier steps too
            out.printf(Locale.ROOT, "test accuracy %.4f  test loss %s  (%s%s, %s = %s by worker, %.1f s)%n", r.test().accuracy(),
                    Fmt.loss(r.test().loss()), Fmt.count(r.epochsDone(), "epoch"), r.stoppedEarly() ? ", stopped early" : "",
                    steps, per, (System.nanoTime() - t0) / 1e9);
        }
        out.flush();
        return 0;
    }
}

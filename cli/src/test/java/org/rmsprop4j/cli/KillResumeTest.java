package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 a training process at random points, including while it writes a checkpoint, resume it
 * each time (or start afresh when it died before its first checkpoint), and compare the final
 * checkpoint's bytes with those of a run that was never interrupted. A few kills in the default run;
 * {@code slow}: many.
 */
class KillResumeTest {

    @TempDir Path dir;

    static final List<String> TRAIN = List.of("train", "digits", "-m", "mlp:16", "--epochs", "6", "--batch-size", "64", "--seed", "3",
            "--threads", "2", "--no-progress", "--checkpoint-every-steps", "1");

    static Process start(List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The steps of the checkpoint in {@code ck}, or -1 when there is none (yet). */
    static long stepsIn(Path ck) {
        try {
            return org.rmsprop4j.train.Checkpoint.load(ck).steps();
        } catch (Exception e) {
            return -1;
        }
    }

    static boolean tempFileIn(Path ck) {
        try (Stream<Path> s = Files.list(ck)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("\\.checkpoint\\.bin\\.\\d+\\.tmp"));
        } catch (Exception e) {
            return false;
        }
    }

    void killAndResume(int kills, long seed) throws Exception {
        Path straight = dir.resolve("straight"), ck = dir.resolve("killed");
        List<String> a = new ArrayList<>(TRAIN);
        a.addAll(List.of("--checkpoint-dir", straight.toString()));
        long t0 = System.nanoTime();
        Process p = start(a, dir.resolve("straight.log"));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("straight.log"))).isZero();
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(runMillis).isPositive();
        byte[] expected = Files.readAllBytes(straight.resolve("checkpoint.bin"));

        long total = org.rmsprop4j.train.Checkpoint.load(straight).steps();

        // kill points: one soon after the start (before any checkpoint), then at random steps of the run;
        // every other kill waits until a checkpoint write is in progress (its temporary file exists)
        Random rnd = new Random(seed);
        long[] targets = rnd.longs(kills - 1, 1, total).sorted().toArray();
        int killed = 0, passed = 0, duringWrite = 0, starts = 0;
        Files.createDirectories(ck);
        while (true) {
            List<String> b = new ArrayList<>(TRAIN);
            b.addAll(List.of("--checkpoint-dir", ck.toString()));
            if (Files.exists(ck.resolve("checkpoint.bin"))) b.addAll(List.of("--resume", ck.toString()));
            Path log = dir.resolve("run-" + starts++ + ".log");
            Process q = start(b, log);
            if (killed + passed < kills) {
                boolean atWrite = killed % 2 == 1, sawTemp = false;
                if (killed == 0) {
                    Thread.sleep(50 + rnd.nextInt(300));
                } else {
                    long target = targets[killed + passed - 1];
                    while (q.isAlive() && stepsIn(ck) < target) Thread.sleep(1);
                    long until = System.nanoTime() + 2_000_000_000L;
                    while (atWrite && q.isAlive() && !(sawTemp = tempFileIn(ck)) && System.nanoTime() < until) Thread.onSpinWait();
                }
                if (q.isAlive()) {
                    q.destroyForcibly(); // SIGKILL
                    q.waitFor(30, TimeUnit.SECONDS);
                    killed++;
                    if (sawTemp) duringWrite++;
                    continue;
                }
            }
            assertThat(q.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            // killed after the last checkpoint was written: the run is complete, resuming has nothing left to do
            if (q.exitValue() == 2 && out.contains("nothing left to train")) break;
            assertThat(q.exitValue()).as(out).isZero();
            if (killed + passed >= kills) break;
            passed++; // the run ended before this kill point could be reached: the next start resumes a finished run
        }
        assertThat(killed).isGreaterThanOrEqualTo(kills / 2);
        System.out.printf("kill/resume: %d kills (%d during a checkpoint write, %d kill points passed), %d starts, straight run %d ms%n", killed,
                duringWrite, passed, starts, runMillis);
        assertThat(Files.readAllBytes(ck.resolve("checkpoint.bin"))).as("final checkpoint after %d kills", killed).isEqualTo(expected);
        try (Stream<Path> s = Files.list(ck)) {
            assertThat(s.map(x -> x.getFileName().toString())).as("no temporary file left").containsExactly("checkpoint.bin");
        }
    }

    @Test
    void killedAtRandomPointsAndResumedGivesTheBytesOfAnUninterruptedRun() throws Exception {
        killAndResume(4, 1);
    }

    @Tag("slow")
    @Test
    void manyKills() throws Exception {
        killAndResume(30, 2);
    }
}

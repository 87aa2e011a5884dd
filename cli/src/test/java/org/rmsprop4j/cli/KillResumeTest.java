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
        byte[] expected = Files.readAllBytes(straight.resolve("checkpoint.bin"));

        Random rnd = new Random(seed);
        int killed = 0, duringWrite = 0, starts = 0;
        Files.createDirectories(ck);
        while (true) {
            List<String> b = new ArrayList<>(TRAIN);
            b.addAll(List.of("--checkpoint-dir", ck.toString()));
            if (Files.exists(ck.resolve("checkpoint.bin"))) b.addAll(List.of("--resume", ck.toString()));
            Path log = dir.resolve("run-" + starts++ + ".log");
            Process q = start(b, log);
            if (killed < kills) {
                boolean atWrite = killed % 2 == 1; // every other kill waits for a checkpoint write in progress
                long deadline = System.nanoTime() + (atWrite ? runMillis : 100 + rnd.nextInt((int) Math.max(1, runMillis))) * 1_000_000L;
                boolean sawTemp = false;
                while (q.isAlive() && System.nanoTime() < deadline) {
                    if (atWrite && tempFileIn(ck)) {
                        sawTemp = true;
                        break;
                    }
                    if (!atWrite) Thread.sleep(1);
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
            if (killed >= kills) break;
        }
        assertThat(killed).isGreaterThanOrEqualTo(Math.min(kills, 1));
        System.out.printf("kill/resume: %d kills (%d during a checkpoint write), %d starts, straight run %d ms%n", killed, duringWrite, starts, runMillis);
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

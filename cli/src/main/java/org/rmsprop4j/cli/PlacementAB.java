package org.rmsprop4j.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * A/B in one JVM: the float32 step over arrays allocated back to back (A, as the bench did before 2026-11-27) and
 * over arrays spaced by {@link StepTimer#gap()} (B), in alternating rounds. Usage:
 * {@code java -cp rmsprop4j.jar org.rmsprop4j.cli.PlacementAB [elements=1e8] [threads=1] [rounds=6] [roundMs=1500]}.
 * Prints each round's ns/element and the median ratio A/B (above 1: the gap is faster).
 */
final class PlacementAB {
    private PlacementAB() {}

    public static void main(String[] args) throws Exception {
        int elements = args.length > 0 ? (int) Double.parseDouble(args[0]) : 100_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        long ms = args.length > 3 ? Long.parseLong(args[3]) : 1500;
        if (elements < 1 || threads < 1 || rounds < 1 || ms < 1)
            throw new IllegalArgumentException("elements, threads, rounds and roundMs must be >= 1, got " + Arrays.toString(args));
        Runnable a = StepTimer.stepper("fp32", elements, 1, threads, false);
        Runnable b = StepTimer.stepper("fp32", elements, 1, threads, true);
        int batchA = StepTimer.warmUp(a, 300);
        int batchB = StepTimer.warmUp(b, 300);
        StepTimer.Interleaved il = StepTimer.interleave(msA -> StepTimer.Round.of(StepTimer.sample(a, batchA, msA)),
                msB -> StepTimer.Round.of(StepTimer.sample(b, batchB, msB)), rounds, ms);
        double[] r = il.ratios();
        for (int i = 0; i < rounds; i++)
            System.out.printf(Locale.ROOT, "round %d: back to back %.4f ns/el, with gap %.4f ns/el, ratio %.3f%n", i,
                    il.ours()[i].median() / elements, il.base()[i].median() / elements, 1 / r[i]);
        double[] inv = Arrays.stream(r).map(x -> 1 / x).sorted().toArray();
        System.out.printf(Locale.ROOT, "elements %d, threads %d, G1 region %d B, gap %d B: median back-to-back/gap %.3f%n", elements, threads,
                StepTimer.g1RegionBytes(), StepTimer.gap(), StepTimer.median(inv));
    }
}

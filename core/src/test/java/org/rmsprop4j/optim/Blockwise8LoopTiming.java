package org.rmsprop4j.optim;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.rmsprop4j.kernel.Blockwise8;
import org.rmsprop4j.kernel.Blockwise8Vector;

/**
 * Not a test: times the 8-bit loops one by one on a block in L1 (CPU time of this thread, rounds
 * interleaved, best round), for the README's per-loop table. Run after {@code mvn -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * org.rmsprop4j.optim.Blockwise8LoopTiming 2048}.
 */
final class Blockwise8LoopTiming {
    private Blockwise8LoopTiming() {}

    static int block;
    static final QuantMap M = QuantMap.UNSIGNED;
    static float[] v, dst;
    static byte[] codes;
    static int[] idx, pack;
    static float scale;
    static long sink;

    static void maxScalar() { for (int i = 0; i < 2000; i++) sink += Blockwise8.absMaxBits(v, 0, block); }
    static void maxVector() { for (int i = 0; i < 2000; i++) sink += Blockwise8Vector.absMaxBits(v, 0, block); }
    static void dequantize() { for (int i = 0; i < 2000; i++) Blockwise8.dequantize(codes, 0, scale, M.values, dst, 0, block); }
    static void codeScalar() { for (int i = 0; i < 2000; i++) Blockwise8.quantize(v, 0, block, scale, M.tab, M.thr, codes, 0); }
    static void codeVector() { for (int i = 0; i < 2000; i++) Blockwise8Vector.quantize(v, 0, block, scale, pack, idx, codes, 0); }

    public static void main(String[] args) {
        block = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        SplittableRandom r = new SplittableRandom(1);
        v = new float[block];
        dst = new float[block];
        codes = new byte[block];
        idx = new int[block];
        pack = M.packTab();
        for (int i = 0; i < block; i++) v[i] = (float) Math.abs(r.nextGaussian() * Math.exp(r.nextDouble(-6, 2)));
        scale = Float.intBitsToFloat(Blockwise8.absMaxBits(v, 0, block));
        Blockwise8.quantize(v, 0, block, scale, M.tab, M.thr, codes, 0);
        boolean vec = Blockwise8.vectorAvailable();
        Runnable[] loops = vec ? new Runnable[] {Blockwise8LoopTiming::maxScalar, Blockwise8LoopTiming::maxVector, Blockwise8LoopTiming::dequantize,
                Blockwise8LoopTiming::codeScalar, Blockwise8LoopTiming::codeVector}
                : new Runnable[] {Blockwise8LoopTiming::maxScalar, Blockwise8LoopTiming::dequantize, Blockwise8LoopTiming::codeScalar};
        String[] names = vec ? new String[] {"max/scalar", "max/vector", "dequantize/scalar", "code/scalar", "code/vector"}
                : new String[] {"max/scalar", "dequantize/scalar", "code/scalar"};
        var mx = ManagementFactory.getThreadMXBean();
        double[] best = new double[loops.length];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 12; round++) {
            for (int j = 0; j < loops.length; j++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int rep = 0; rep < 10; rep++) loops[j].run();
                double ns = (mx.getCurrentThreadCpuTime() - t0) / 20_000.0 / block;
                if (round >= 3) best[j] = Math.min(best[j], ns);
            }
        }
        for (int j = 0; j < loops.length; j++) System.out.printf("%-18s %.3f ns/value (block %d)%n", names[j], best[j], block);
        if (sink == 42) System.out.println(dst[0] + codes[0]);
    }
}

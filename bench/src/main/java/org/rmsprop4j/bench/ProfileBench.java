package org.rmsprop4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rmsprop4j.optim.Arithmetic;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;

/**
 * One {@link Optimizer#step} of RMSprop in each framework's arithmetic profile, beside the fused
 * PyTorch 1.13 kernel ({@code profile=pytorch}): the presets that select a profile
 * ({@code keras tf1 optax dl4j tribuo tfjs timm_tf}) and the profiles chosen by arithmetic
 * ({@code pytorch_2_13 keras_3_graph keras_3_xla}), a variant ({@code plain}, {@code momentum}, {@code centered-momentum}),
 * fp32 / fp64, sizes, threads, and the path ({@code fused}: the optimizer's default;
 * {@code chain}: {@code fused(false)}, member by member through the update buffer). Pick with {@code -p}:
 * {@code java -jar bench/target/benchmarks.jar ProfileBench -p dtype=fp32 -p size=1000000 -p threads=1 -p path=fused}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ProfileBench {

    @Param({"pytorch", "keras", "tf1", "optax", "dl4j", "tribuo", "tfjs", "timm_tf", "pytorch_2_13", "keras_3_graph", "keras_3_xla"})
    public String profile;

    @Param({"plain"})
    public String variant;

    @Param({"fp32", "fp64"})
    public String dtype;

    @Param({"1000000", "10000000"})
    public int size;

    @Param({"1"})
    public int threads;

    @Param({"fused"})
    public String path;

    Optimizer opt;
    float[] pf, gf;
    double[] pd, gd;

    /** The configuration a profile name stands for: a preset's, or PyTorch's/Keras's with another arithmetic. */
    static RmsPropConfig config(String profile, String variant) {
        RmsPropConfig c = switch (profile) {
            case "pytorch" -> RmsPropPreset.PYTORCH.config();
            case "pytorch_2_13" -> RmsPropPreset.PYTORCH.config().toBuilder().arithmetic(Arithmetic.PYTORCH_2_13).build();
            case "keras_3_graph" -> RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_GRAPH).build();
            case "keras_3_xla" -> RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_XLA).build();
            default -> RmsPropPreset.valueOf(profile.toUpperCase(java.util.Locale.ROOT)).config();
        };
        boolean any = c.arithmetic() != Arithmetic.ND4J && c.arithmetic() != Arithmetic.TRIBUO;   // they have neither knob
        if (variant.equals("centered-momentum") && any) c = c.toBuilder().centered(true).momentum(0.9).build();
        if (variant.equals("momentum") && any) c = c.toBuilder().momentum(0.9).build();
        return c;
    }

    /**
     * PyTorch's other optimizers: {@code sgd adagrad adadelta adam adamw} are the fused 1.13 kernels (the yardsticks);
     * with {@code _2_13} they run {@code PyTorchProfile} in 2.13's arithmetic (for-loop/foreach), with {@code _2_13_fused}
     * in 2.13's {@code fused=True} arithmetic (SGD, Adam, AdamW). SGD has momentum 0.9 (Nesterov with the variant
     * {@code momentum}). Null for any other name.
     */
    static org.rmsprop4j.optim.OptimizerSpec pytorchSpec(String profile, String variant) {
        int cut = profile.indexOf('_');
        String family = cut < 0 ? profile : profile.substring(0, cut);
        Arithmetic a = cut < 0 ? Arithmetic.PYTORCH_1_13 : profile.endsWith("_fused") ? Arithmetic.PYTORCH_2_13_FUSED : Arithmetic.PYTORCH_2_13;
        return switch (family) {
            case "sgd" -> org.rmsprop4j.optim.SgdConfig.builder().arithmetic(a).momentum(0.9).nesterov(variant.equals("momentum")).build();
            case "adagrad" -> org.rmsprop4j.optim.AdagradConfig.builder().arithmetic(a).build();
            case "adadelta" -> org.rmsprop4j.optim.AdadeltaConfig.builder().arithmetic(a).build();
            case "adam" -> org.rmsprop4j.optim.AdamConfig.builder().arithmetic(a).build();
            case "adamw" -> org.rmsprop4j.optim.AdamConfig.adamW().arithmetic(a).build();
            default -> null;
        };
    }

    static Optimizer build(String profile, String variant, boolean f64, int size, int threads, boolean fused) {
        org.rmsprop4j.optim.OptimizerSpec spec = pytorchSpec(profile, variant);
        return Optimizer.builder(spec != null ? spec : config(profile, variant)).size(size).dtype(f64 ? Dtype.FLOAT64 : Dtype.FLOAT32)
                .threads(threads).fused(fused).build();
    }

    @Setup(Level.Trial)
    public void setup() {
        boolean f64 = "fp64".equals(dtype);
        opt = build(profile, variant, f64, size, threads, !"chain".equals(path));
        SplittableRandom r = new SplittableRandom(1);
        if (f64) {
            pd = new double[size]; gd = new double[size];
            for (int i = 0; i < size; i++) { pd[i] = r.nextDouble() * 2 - 1; gd[i] = r.nextDouble() * 2 - 1; }
        } else {
            pf = new float[size]; gf = new float[size];
            for (int i = 0; i < size; i++) { pf[i] = (float) (r.nextDouble() * 2 - 1); gf[i] = (float) (r.nextDouble() * 2 - 1); }
        }
    }

    @Benchmark
    public boolean step() {
        return pf != null ? opt.step(pf, gf) : opt.step(pd, gd);
    }
}

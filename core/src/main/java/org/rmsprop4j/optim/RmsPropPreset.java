package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * RMSprop as each framework and paper does it: a named point in {@link RmsPropConfig}'s knobs, with
 * that source's defaults. The equations are {@link RmsPropConfig}'s; each constant below states the
 * knob values, the source followed, and what departs from PyTorch. {@code docs/presets.md} has the
 * full derivation for each, with the file it was checked against.
 */
public enum RmsPropPreset {

    /**
     * PyTorch {@code torch.optim.RMSprop} ({@code torch/optim/rmsprop.py}, 1.13):
     * {@code ν ← αν + (1−α)g²; θ ← θ − η·g/(√ν + ε)}; η = 0.01, α = 0.99, ε = 1e-8 outside the root, ν₀ = 0;
     * momentum keeps the learning rate outside the buffer; weight decay is coupled L2.
     */
    PYTORCH(RmsPropConfig.builder().build()),

    /**
     * Keras 3 {@code keras.optimizers.RMSprop} ({@code keras/src/optimizers/rmsprop.py}):
     * {@code ν ← ρν + (1−ρ)g²; θ ← θ − η·g/√(ν + ε)}; η = 0.001, ρ = 0.9, ε = 1e-7 inside the root;
     * momentum {@code b ← βb + η·g/√(ν+ε); θ ← θ − b}; weight decay decoupled {@code θ ← θ − θ·λ·η}
     * before the step (base optimizer). Differs from PyTorch: ε inside, ρ 0.9, lr inside momentum.
     */
    KERAS(RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-7).epsPlacement(EpsPlacement.INSIDE)
            .momentumStyle(MomentumStyle.LR_INSIDE).weightDecayStyle(WeightDecayStyle.DECOUPLED).arithmetic(Arithmetic.KERAS_3).build()),

    /**
     * TensorFlow 1 {@code tf.compat.v1.train.RMSPropOptimizer} ({@code tensorflow/python/training/rmsprop.py},
     * kernels {@code ApplyRMSProp}/{@code ApplyCenteredRMSProp} in {@code training_ops.cc}): the mean
     * square starts at 1; {@code ms ← ms + (g² − ms)(1−ρ); mom ← β·mom + η·g/√(ms + ε); θ ← θ − mom};
     * ρ = 0.9, ε = 1e-10 inside the root, η = 0.001 (TF1 has no default; this is the common choice).
     * Differs from PyTorch: ν₀ = 1 (first steps are tiny), ε inside, lr inside the buffer.
     */
    TF1(RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-10).epsPlacement(EpsPlacement.INSIDE)
            .initialMeanSquare(1.0).momentumStyle(MomentumStyle.LR_INSIDE).arithmetic(Arithmetic.TF1).build()),

    /**
     * Optax {@code optax.rmsprop} ({@code optax/_src/alias.py}: {@code scale_by_rms} or
     * {@code scale_by_stddev}, then {@code scale_by_learning_rate}, then {@code trace}):
     * ρ = 0.9, ε = 1e-8 inside the root ({@code eps_in_sqrt=True}), ν₀ = {@code initial_scale} = 0,
     * momentum (off by default) with the learning rate inside, optional Nesterov and bias correction.
     * η has no default in Optax; 0.01 here.
     */
    OPTAX(RmsPropConfig.builder().learningRate(0.01).decay(0.9).eps(1e-8).epsPlacement(EpsPlacement.INSIDE)
            .momentumStyle(MomentumStyle.LR_INSIDE).arithmetic(Arithmetic.OPTAX).build()),

    /**
     * Deeplearning4j / ND4J {@code org.nd4j.linalg.learning.config.RmsProp} with {@code RmsPropUpdater}:
     * the accumulator starts at ε (not 0); {@code G ← ρG + (1−ρ)g²; θ ← θ − (η·g)/(√G + ε)}; η = 0.1,
     * ρ ({@code rmsDecay}) = 0.95, ε = 1e-8 outside the root; no momentum, centering or weight decay.
     * Differs from PyTorch: ν₀ = ε, ρ 0.95, η 0.1. (Very old ND4J started at 0 with ε inside.)
     */
    DL4J(RmsPropConfig.builder().learningRate(0.1).decay(0.95).eps(1e-8).initialMeanSquare(1e-8).arithmetic(Arithmetic.ND4J).build()),

    /**
     * Apache MXNet 1.9.1 {@code mxnet.optimizer.RMSProp} ({@code rmsprop_update} /
     * {@code rmspropalex_update} in {@code src/operator/optimizer_op-inl.h}): {@code g ← rescale·g + wd·θ},
     * then {@code clip_gradient}; {@code n ← γ1·n + (1−γ1)g²; θ ← θ − η·g/√(n + ε)}; γ1 = 0.9, ε = 1e-8
     * inside the root, η = 0.001. The centered variant (Graves) adds {@code ḡ} and a Δ buffer with
     * γ2 = 0.9 and the learning rate inside it ({@code centered(true).momentum(0.9)}); the plain variant
     * has no momentum. MXNet 2 (never released past beta) moved ε outside for the plain variant.
     */
    MXNET(RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-8).epsPlacement(EpsPlacement.INSIDE)
            .momentumStyle(MomentumStyle.LR_INSIDE).build()),

    /**
     * Tribuo {@code org.tribuo.math.optimisers.RMSProp} (double precision): ρ = 0.9, ε = 1e-8 outside the
     * root, ν₀ = 0, η decayed as {@code η/(1 + decay·t)} with t counted from 0 ({@code lrDecay}; 0 by
     * default); η = 0.001 (Tribuo requires it). Its Javadoc says it follows Keras, but ε is outside.
     */
    TRIBUO(RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-8).arithmetic(Arithmetic.TRIBUO).build()),

    /**
     * TensorFlow.js {@code tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)}
     * ({@code tfjs-core/src/optimizers/rmsprop_optimizer.ts}, 4.22): ρ = 0.9, ε = the backend's 1e-7
     * inside the root, momentum with the learning rate inside; η = 0.001 (TF.js requires it).
     * Non-centered it is Keras's update in another operation order; centered it computes
     * {@code √(ms − (mg² + ε))}: ε is subtracted, and the root is NaN where {@code ms − mg² < ε}
     * (arithmetic {@link Arithmetic#TFJS} does exactly that; the equations of {@link RmsPropConfig} do not).
     */
    TFJS(RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-7).epsPlacement(EpsPlacement.INSIDE)
            .momentumStyle(MomentumStyle.LR_INSIDE).arithmetic(Arithmetic.TFJS).build()),

    /**
     * timm {@code timm.optim.RMSpropTF} (timm 1.0.29, the TF-style RMSprop of EfficientNet recipes, on
     * PyTorch 2.13): the mean square starts at 1, {@code sq ← sq + (g² − sq)(1−α)}, ε = 1e-10 inside the
     * root, α = 0.9, η = 0.01; momentum with the learning rate inside the buffer ({@code lr_in_momentum},
     * default) or outside; weight decay coupled (default) or decoupled ({@code decoupled_decay}:
     * {@code θ ← θ·(1 − η·λ)}). Arithmetic {@link Arithmetic#TIMM_TF} (PyTorch 2.13's kernels and MKL sqrt).
     */
    TIMM_TF(RmsPropConfig.builder().learningRate(0.01).decay(0.9).eps(1e-10).epsPlacement(EpsPlacement.INSIDE)
            .initialMeanSquare(1.0).momentumStyle(MomentumStyle.LR_INSIDE).arithmetic(Arithmetic.TIMM_TF).build()),

    /**
     * Caffe {@code RMSPropSolver} ({@code src/caffe/solvers/rmsprop_solver.cpp}): {@code rms_decay} = 0.99,
     * {@code delta} = 1e-8 outside the root, no momentum (Caffe requires momentum 0), weight decay as
     * coupled L2 in the gradient; η = {@code base_lr} = 0.01.
     */
    CAFFE(RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build()),

    /**
     * Lasagne {@code lasagne.updates.rmsprop} ({@code lasagne/updates.py}): η = 1.0, ρ = 0.9, ε = 1e-6
     * inside the root: {@code θ ← θ − η·g/√(ν + ε)}.
     */
    LASAGNE(RmsPropConfig.builder().learningRate(1.0).decay(0.9).eps(1e-6).epsPlacement(EpsPlacement.INSIDE).build()),

    /**
     * Tieleman &amp; Hinton, Coursera lecture 6e (2012): {@code MeanSquare ← 0.9·MeanSquare + 0.1·g²},
     * divide the gradient by {@code √MeanSquare}. The slides have no ε and no learning rate; we add
     * ε = 1e-8 outside the root (so a zero gradient gives a zero step, not NaN) and use η = 0.001.
     */
    HINTON(RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-8).build()),

    /**
     * Graves 2013, "Generating Sequences With Recurrent Neural Networks", eqs. 38–45: centered, with
     * momentum and the learning rate inside it: {@code n ← ℵn + (1−ℵ)g²; ḡ ← ℵḡ + (1−ℵ)g;
     * Δ ← ℶΔ − ℷ·g/√(n − ḡ² + ℸ); w ← w + Δ}; ℵ = 0.95, ℶ = 0.9, ℷ = 1e-4, ℸ = 1e-4.
     */
    GRAVES(RmsPropConfig.builder().learningRate(1e-4).decay(0.95).eps(1e-4).epsPlacement(EpsPlacement.INSIDE)
            .centered(true).momentum(0.9).momentumStyle(MomentumStyle.LR_INSIDE).build()),

    /**
     * DQN, Mnih et al. Nature 2015 (and DeepMind's {@code NeuralQLearner.lua}): centered, decay 0.95 for
     * both moments, "min squared gradient" 0.01 inside the root, η = 0.00025, no momentum buffer.
     */
    DQN(RmsPropConfig.builder().learningRate(0.00025).decay(0.95).eps(0.01).epsPlacement(EpsPlacement.INSIDE)
            .centered(true).build()),

    /**
     * The seed article ("RMSprop: In-depth Explanation"): η = 0.1, β = 0.9, ε = 1e-9 inside the root,
     * mean square from 0, full batch: {@code v ← βv + (1−β)g²; θ ← θ − η·g/√(v + ε)}.
     */
    SEED(RmsPropConfig.builder().learningRate(0.1).decay(0.9).eps(1e-9).epsPlacement(EpsPlacement.INSIDE).build());

    private final RmsPropConfig config;

    RmsPropPreset(RmsPropConfig config) { this.config = config; }

    /** This preset's configuration (immutable; use {@code toBuilder()} to change a knob). */
    public RmsPropConfig config() { return config; }

    /** Lower-case name as used on the command line and in conformance cases ({@code pytorch}, {@code keras}, ...). */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** Finds a preset by name, case-insensitive; refuses unknown names with the list of known ones. */
    public static RmsPropPreset byName(String name) {
        if (name != null) {
            for (RmsPropPreset p : values()) if (p.name().equalsIgnoreCase(name.trim())) return p;
        }
        throw Checks.invalid("preset", name == null ? null : "'" + name + "'", "one of "
                + Arrays.stream(values()).map(RmsPropPreset::id).collect(Collectors.joining(", ")));
    }
}

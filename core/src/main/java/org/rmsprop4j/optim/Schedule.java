package org.rmsprop4j.optim;

import java.util.Map;
import java.util.stream.Collectors;

import org.rmsprop4j.internal.Checks;

/**
 * A learning-rate schedule as data: a record with its parameters, saved with the optimizer's state
 * and compared by value on resume. {@link Schedules} has the factories; {@link Custom} lets a user
 * add one that names itself and its parameters. Every record validates in its constructor.
 */
public sealed interface Schedule extends LearningRateSchedule
        permits Schedule.Constant, Schedule.StepDecay, Schedule.Exponential, Schedule.Cosine, Schedule.Warmup,
                Schedule.InverseTime, Schedule.Custom {

    /** η_t = η. */
    record Constant() implements Schedule {
        @Override public double learningRate(double baseLr, long step) { return baseLr; }

        @Override public String describe() { return "constant"; }

        /** The form older checkpoints recorded (kept so that they still compare equal on resume). */
        @Override public String toString() { return "constant"; }
    }

    /** η_t = η·γ^⌊t/stepSize⌋ (PyTorch {@code StepLR}). */
    record StepDecay(long stepSize, double gamma) implements Schedule {
        /**
         * Validates the parameters.
         *
         * @throws IllegalArgumentException if {@code stepSize < 1} or {@code gamma} is negative or not finite
         */
        public StepDecay {
            Checks.atLeast("stepSize", stepSize, 1);
            Checks.nonNegative("gamma", gamma);
        }

        @Override public double learningRate(double baseLr, long step) { return baseLr * Math.pow(gamma, Math.floorDiv(step, stepSize)); }

        @Override public String describe() { return "step(stepSize=" + stepSize + ", gamma=" + gamma + ")"; }

        @Override public String toString() { return "step(" + stepSize + ", " + gamma + ")"; }
    }

    /** η_t = η·γ^t (PyTorch {@code ExponentialLR}). */
    record Exponential(double gamma) implements Schedule {
        /**
         * Validates the parameters.
         *
         * @throws IllegalArgumentException if {@code gamma} is negative or not finite
         */
        public Exponential {
            Checks.nonNegative("gamma", gamma);
        }

        @Override public double learningRate(double baseLr, long step) { return baseLr * Math.pow(gamma, step); }

        @Override public String describe() { return "exponential(gamma=" + gamma + ")"; }

        @Override public String toString() { return "exponential(" + gamma + ")"; }
    }

    /** Cosine annealing to {@code minLr} over {@code period} steps, then held: η_t = m + (η − m)·(1 + cos(π·min(t, T)/T))/2. */
    record Cosine(long period, double minLr) implements Schedule {
        /**
         * Validates the parameters.
         *
         * @throws IllegalArgumentException if {@code period < 1} or {@code minLr} is negative or not finite
         */
        public Cosine {
            Checks.atLeast("period", period, 1);
            Checks.nonNegative("minLr", minLr);
        }

        @Override public double learningRate(double baseLr, long step) {
            double x = Math.min(step, period) / (double) period;
            return minLr + (baseLr - minLr) * (1 + Math.cos(Math.PI * x)) / 2;
        }

        @Override public String describe() { return "cosine(period=" + period + ", minLr=" + minLr + ")"; }

        @Override public String toString() { return "cosine(" + period + ", " + minLr + ")"; }
    }

    /** Linear warm-up η·(t+1)/W for t &lt; W, then {@code after} shifted by W (a composition: warm-up then cosine, ...). */
    record Warmup(long steps, Schedule after) implements Schedule {
        /**
         * Validates the parameters.
         *
         * @throws IllegalArgumentException if {@code steps < 1} or {@code after} is null
         */
        public Warmup {
            Checks.atLeast("steps", steps, 1);
            Checks.notNull("after", after);
        }

        @Override public double learningRate(double baseLr, long step) {
            return step < steps ? baseLr * (step + 1) / (double) steps : after.learningRate(baseLr, step - steps);
        }

        @Override public String describe() { return "warmup(steps=" + steps + ", then=" + after.describe() + ")"; }

        @Override public String toString() { return "warmup(" + steps + ", " + after + ")"; }
    }

    /** η_t = η/(1 + decay·t) (Tribuo's and Keras 1's {@code decay}, PyTorch AdaGrad's {@code lr_decay}). */
    record InverseTime(double decay) implements Schedule {
        /**
         * Validates the parameters.
         *
         * @throws IllegalArgumentException if {@code decay} is negative or not finite
         */
        public InverseTime {
            Checks.nonNegative("decay", decay);
        }

        @Override public double learningRate(double baseLr, long step) { return baseLr / (1 + decay * step); }

        @Override public String describe() { return "inverseTime(decay=" + decay + ")"; }

        @Override public String toString() { return "inverseTime(" + decay + ")"; }
    }

    /**
     * A schedule of the user's: it names itself and its parameters, which are saved with the state
     * and compared on resume (two custom schedules are the same when name and parameters are equal).
     */
    non-sealed interface Custom extends Schedule {
        /** A stable name ({@code "one-cycle"}). */
        String name();

        /** Every parameter that changes the rates, by name, in a fixed order. */
        Map<String, Object> parameters();

        @Override default String describe() {
            return name() + "(" + parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")) + ")";
        }
    }
}

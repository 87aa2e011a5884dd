package org.rmsprop4j.transform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.OptimizerSpec;

/**
 * Named transforms applied in order: an optimizer (Optax's {@code named_chain}). A chain is both a
 * {@link GradientTransform} (so chains nest) and an {@link OptimizerSpec} (so an
 * {@link org.rmsprop4j.optim.Optimizer} can be built from it).
 *
 * <pre>{@code
 * Chain rmsprop = Chain.builder("my-rmsprop")
 *         .add("clip", new ClipByGlobalNorm(1.0))
 *         .add("rms", ScaleByRms.builder().decay(0.9).eps(1e-7).epsPlacement(EpsPlacement.INSIDE).build())
 *         .add("lr", new ScaleByLearningRate())
 *         .learningRate(1e-3)
 *         .build();
 * }</pre>
 *
 * <h2>State names</h2> The slots of member {@code name} are {@code name/slot}; a state buffer of
 * parameter {@code w} is saved as {@code name/w/slot} (nested chains add their names in front:
 * {@code outer/inner/w/slot}). Member names are unique, non-empty and contain no {@code '/'}.
 *
 * <h2>Order and speed</h2> The optimizer runs a chain whose shape a fused kernel covers (every
 * {@link org.rmsprop4j.optim.RmsPropConfig} and preset, SGD, AdaGrad, Adadelta, Adam) as that one
 * pass; any other chain runs member by member over blocks of each run, allocation-free and split
 * across threads like the fused path. The two paths compute the same operations in a different
 * order and agree to a few ULP per step (see {@code ChainParityTest}).
 */
public final class Chain implements GradientTransform, OptimizerSpec {

    /** One member of a chain. */
    public record Link(String name, GradientTransform transform) {
        /**
         * Validates the member.
         *
         * @throws IllegalArgumentException if {@code name} is null, empty or holds {@code '/'} (state keys use it as a separator), or
         *         {@code transform} is null
         */
        public Link {
            if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
                throw Checks.invalid("transform name", name == null ? null : "'" + name + "'", "a non-empty name without '/'");
            }
            Checks.notNull("transform '" + name + "'", transform);
        }
    }

    private final String kind;
    private final double learningRate;
    private final List<Link> links;
    private final List<String> slots;
    private final int[] slotBase;
    private final boolean elementwise;

    private Chain(String kind, double learningRate, List<Link> links) {
        this.kind = kind;
        this.learningRate = Checks.nonNegative("learningRate", learningRate);
        this.links = List.copyOf(links);
        List<String> sl = new ArrayList<>();
        slotBase = new int[links.size()];
        boolean ew = true;
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            slotBase[i] = sl.size();
            List<String> own = Checks.notNull("slots of transform '" + l.name() + "'", l.transform().slots());
            Set<String> seen = new LinkedHashSet<>();
            for (String s : own) {
                if (s == null || s.isEmpty() || !seen.add(s)) {
                    throw Checks.invalid("slots of transform '" + l.name() + "'", own, "unique, non-empty names");
                }
                sl.add(l.name() + "/" + s);
            }
            ew &= l.transform().elementwise();
            if (l.transform().producesParameters() && i != links.size() - 1) {
                throw Checks.invalid("transform '" + l.name() + "'", l.transform().type(),
                        "the last member of its chain (it produces the new parameters, not an update)");
            }
        }
        this.slots = Collections.unmodifiableList(sl);
        this.elementwise = ew;
    }

    /** Starts a chain named {@code kind} (the optimizer family it reports, e.g. {@code "my-rmsprop"}). */
    public static Builder builder(String kind) { return new Builder(kind); }

    /** Starts an anonymous chain (kind {@code "chain"}). */
    public static Builder builder() { return new Builder("chain"); }

    /** A chain of {@code transforms} named {@code 0, 1, 2, ...} (Optax's {@code chain}). */
    public static Chain of(GradientTransform... transforms) {
        Builder b = builder();
        for (int i = 0; i < transforms.length; i++) b.add(String.valueOf(i), transforms[i]);
        return b.build();
    }

    /** The members, in order. */
    public List<Link> links() { return links; }

    /** The transform named {@code name}; refuses unknown names with the list of known ones. */
    public GradientTransform get(String name) {
        for (Link l : links) if (l.name().equals(name)) return l.transform();
        throw Checks.invalid("transform name", "'" + name + "'", "one of " + links.stream().map(Link::name).toList());
    }

    /** Index in {@link #slots()} of the first slot of member {@code i}. */
    public int slotBase(int i) { return slotBase[i]; }

    // ---- GradientTransform

    @Override public String type() { return "chain"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Link l : links) m.put(l.name(), l.transform());
        return Collections.unmodifiableMap(m);
    }

    /** Qualified slot names: {@code member/slot}, in member order. */
    @Override public List<String> slots() { return slots; }

    @Override public double initialValue(String slot) {
        int slash = slot.indexOf('/');
        if (slash > 0) {
            String name = slot.substring(0, slash);
            for (Link l : links) if (l.name().equals(name)) return l.transform().initialValue(slot.substring(slash + 1));
        }
        throw Checks.invalid("slot", "'" + slot + "'", "one of " + slots);
    }

    @Override public boolean nonNegative(String slot) {
        int slash = slot.indexOf('/');
        if (slash > 0) {
            String name = slot.substring(0, slash);
            for (Link l : links) if (l.name().equals(name)) return l.transform().nonNegative(slot.substring(slash + 1));
        }
        return false;
    }

    @Override public boolean elementwise() { return elementwise; }

    /** True if the last member produces the new parameters ({@link GradientTransform#producesParameters()}). */
    @Override public boolean producesParameters() {
        return !links.isEmpty() && links.get(links.size() - 1).transform().producesParameters();
    }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = 0; i < links.size(); i++) links.get(i).transform().update(u, p, s, slot0 + slotBase[i], off, len, c);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = 0; i < links.size(); i++) links.get(i).transform().update(u, p, s, slot0 + slotBase[i], off, len, c);
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int i = 0; i < links.size(); i++) links.get(i).transform().updateGroup(u, p, s, slot0 + slotBase[i], c);
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int i = 0; i < links.size(); i++) links.get(i).transform().updateGroup(u, p, s, slot0 + slotBase[i], c);
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder(kind).append(" (lr ").append(learningRate).append("): ");
        for (int i = 0; i < links.size(); i++) {
            if (i > 0) b.append(" -> ");
            b.append(links.get(i).name()).append('=').append(links.get(i).transform().describe());
        }
        return b.toString();
    }

    // ---- OptimizerSpec

    @Override public String kind() { return kind; }

    /**
     * The base learning rate η of a group that runs this chain (1 unless {@link Builder#learningRate}
     * says otherwise). The group applies its schedule to it and hands the result to the chain's
     * {@link ScaleByLearningRate} and learning-rate-aware members through {@link StepContext#learningRate()}.
     */
    @Override public double learningRate() { return learningRate; }

    @Override public Chain withLearningRate(double learningRate) { return new Chain(kind, learningRate, links); }

    @Override public Chain chain() { return this; }

    @Override public List<String> stateSlots() { return slots; }

    @Override public boolean equals(Object o) {
        return o instanceof Chain c && c.kind.equals(kind) && c.links.equals(links)
                && Double.compare(c.learningRate, learningRate) == 0;
    }

    @Override public int hashCode() { return Objects.hash(kind, links, learningRate); }

    @Override public String toString() { return describe(); }

    /** Collects members; {@link #build()} checks the names. */
    public static final class Builder {
        private final String kind;
        private final List<Link> links = new ArrayList<>();
        private double learningRate = 1.0;

        private Builder(String kind) {
            if (kind == null || kind.isBlank()) throw Checks.invalid("chain kind", kind == null ? null : "'" + kind + "'", "a non-blank name");
            this.kind = kind;
        }

        /** Appends {@code transform} under {@code name}. */
        public Builder add(String name, GradientTransform transform) {
            links.add(new Link(name, transform));
            return this;
        }

        /** The base learning rate η (default 1): see {@link Chain#learningRate()}. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * The chain of the links added so far, in order.
         *
         * @throws IllegalArgumentException if two links share a name, or the learning rate is negative or not finite
         */
        public Chain build() {
            Set<String> names = new LinkedHashSet<>();
            for (Link l : links) {
                if (!names.add(l.name())) throw Checks.invalid("transform name", "'" + l.name() + "'", "unique within the chain (it is used twice)");
            }
            return new Chain(kind, learningRate, links);
        }
    }
}

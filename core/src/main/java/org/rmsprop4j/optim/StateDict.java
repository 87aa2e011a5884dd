package org.rmsprop4j.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.rmsprop4j.internal.Checks;

/**
 * A deep, immutable snapshot of an optimizer's state, keyed by name, never by position: groups by
 * group name and buffers by {@code "<transform>/<param>/<slot>"} (for example
 * {@code "rms/w/square_avg"}; format 1 used {@code "<param>/<slot>"}, which
 * {@link Optimizer#loadStateDict} still reads). float32 buffers are held as doubles, which represent
 * every float exactly. Arrays are copied on the way in and on the way out: nothing outside can
 * change a snapshot.
 *
 * @param formatVersion  version of this structure and of its file form ({@link StateIO})
 * @param kind           optimizer family ({@link OptimizerSpec#kind()})
 * @param dtype          element type of the buffers
 * @param groups         per group: steps taken, base learning rate, schedule, hyper-parameters (for information)
 * @param paramLengths   element count of every parameter, in layout order
 * @param buffers        every state buffer by key
 */
public record StateDict(int formatVersion, String kind, Dtype dtype, List<GroupState> groups,
                        Map<String, Integer> paramLengths, Map<String, double[]> buffers) {

    /** The format this release writes: 2 (transform-qualified buffer keys, schedules). 1 is still read. */
    public static final int FORMAT_VERSION = 2;

    /**
     * The saved state of one parameter group.
     *
     * @param schedule the schedule's {@link LearningRateSchedule#describe() description}, or {@code null} in format 1
     */
    public record GroupState(String name, long step, double learningRate, Map<String, String> hyperParameters, String schedule) {
        public GroupState {
            Checks.notNull("name", name);
            if (step < 0) throw Checks.invalid("step of group '" + name + "'", step, ">= 0");
            Checks.nonNegative("learning rate of group '" + name + "'", learningRate);
            hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull("hyperParameters", hyperParameters)));
        }

        /** A format-1 group (no schedule recorded). */
        public GroupState(String name, long step, double learningRate, Map<String, String> hyperParameters) {
            this(name, step, learningRate, hyperParameters, null);
        }
    }

    public StateDict {
        if (formatVersion < 1) throw Checks.invalid("formatVersion", formatVersion, ">= 1");
        Checks.notNull("kind", kind);
        Checks.notNull("dtype", dtype);
        groups = List.copyOf(Checks.notNull("groups", groups));
        Map<String, Integer> lengths = new LinkedHashMap<>();
        Checks.notNull("paramLengths", paramLengths).forEach((k, v) -> {
            if (k == null || v == null || v < 0) throw Checks.invalid("paramLengths", k + "=" + v, "names with lengths >= 0");
            lengths.put(k, v);
        });
        paramLengths = Collections.unmodifiableMap(lengths);
        Map<String, double[]> copy = new LinkedHashMap<>();
        Checks.notNull("buffers", buffers).forEach((k, v) -> {
            if (k == null || v == null) throw Checks.invalid("buffers", k + "=" + (v == null ? null : "[...]"), "non-null keys and arrays");
            copy.put(k, v.clone());
        });
        buffers = Collections.unmodifiableMap(copy);
    }

    /** Every buffer, copied (the snapshot's own arrays never leave it). */
    @Override public Map<String, double[]> buffers() {
        Map<String, double[]> out = new LinkedHashMap<>();
        buffers.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    /** The buffer keys, in order. */
    public java.util.Set<String> bufferKeys() { return buffers.keySet(); }

    /** A copy of the buffer stored under {@code key}, or {@code null}. */
    public double[] buffer(String key) {
        double[] b = buffers.get(key);
        return b == null ? null : b.clone();
    }

    /** The buffer itself, for this package's readers that only read it. */
    double[] bufferView(String key) { return buffers.get(key); }

    /** Content equality (arrays compared by value, bit for bit). */
    @Override public boolean equals(Object o) {
        if (!(o instanceof StateDict s)) return false;
        if (formatVersion != s.formatVersion || !kind.equals(s.kind) || dtype != s.dtype || !groups.equals(s.groups)
                || !paramLengths.equals(s.paramLengths) || !buffers.keySet().equals(s.buffers.keySet())) {
            return false;
        }
        for (var e : buffers.entrySet()) {
            double[] a = e.getValue(), b = s.buffers.get(e.getKey());
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) {
                if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) return false;
            }
        }
        return true;
    }

    @Override public int hashCode() {
        int h = Objects.hash(formatVersion, kind, dtype, groups, paramLengths);
        for (var e : buffers.entrySet()) h = h * 31 + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
        return h;
    }

    @Override public String toString() {
        return "StateDict[v" + formatVersion + ", " + kind + ", " + dtype.label() + ", groups=" + groups
                + ", buffers=" + buffers.keySet() + "]";
    }
}

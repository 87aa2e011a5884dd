package org.rmsprop4j.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A deep, immutable snapshot of an optimizer's state, keyed by name, never by position:
 * groups by group name and buffers by {@code "<param>/<slot>"} (for example {@code "w/square_avg"}).
 * float32 buffers are held as doubles, which represent every float exactly.
 *
 * @param formatVersion  version of this structure and of its file form ({@link StateIO})
 * @param kind           optimizer family ({@link OptimizerSpec#kind()})
 * @param dtype          element type of the buffers
 * @param groups         per group: steps taken, base learning rate, hyper-parameters (for information)
 * @param paramLengths   element count of every parameter, in layout order
 * @param buffers        every state buffer by key
 */
public record StateDict(int formatVersion, String kind, Dtype dtype, List<GroupState> groups,
                        Map<String, Integer> paramLengths, Map<String, double[]> buffers) {

    /** The format this release writes. */
    public static final int FORMAT_VERSION = 1;

    /** The saved state of one parameter group. */
    public record GroupState(String name, long step, double learningRate, Map<String, String> hyperParameters) {
        public GroupState {
            Objects.requireNonNull(name, "name");
            hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        }
    }

    public StateDict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dtype, "dtype");
        groups = List.copyOf(groups);
        paramLengths = Collections.unmodifiableMap(new LinkedHashMap<>(paramLengths));
        Map<String, double[]> copy = new LinkedHashMap<>();
        buffers.forEach((k, v) -> copy.put(k, v.clone()));
        buffers = Collections.unmodifiableMap(copy);
    }

    /** A copy of the buffer stored under {@code key}, or {@code null}. */
    public double[] buffer(String key) {
        double[] b = buffers.get(key);
        return b == null ? null : b.clone();
    }

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

package org.rmsprop4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Named parameter tensors laid out back to back in one flat array: each has a shape (row-major)
 * and occupies {@code [offset, offset + length)}. Immutable.
 */
public final class ParamLayout {

    /**
     * One named tensor of the layout.
     *
     * @param name   non-empty, without {@code '/'} (state keys use it as a separator)
     * @param shape  dimensions {@code >= 0}, row-major; empty for a scalar
     * @param offset first element in the flat array, {@code >= 0}
     * @param length the product of the dimensions
     */
    public record Param(String name, int[] shape, int offset, int length) {
        /**
         * Validates the tensor and copies its shape.
         *
         * @param name   non-empty, without {@code '/'} (state keys use it as a separator)
         * @param shape  dimensions {@code >= 0}, row-major; empty for a scalar
         * @param offset first element in the flat array, {@code >= 0}
         * @param length the product of the dimensions
         * @throws IllegalArgumentException naming the parameter: an empty name or one with {@code '/'}, a negative dimension or
         *         offset, a length other than the shape's product, or an end past {@link #MAX_SIZE}
         */
        public Param {
            if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
                throw Checks.invalid("parameter name", name == null ? null : "'" + name + "'", "a non-empty name without '/'");
            }
            Checks.notNull("shape of '" + name + "'", shape);
            shape = shape.clone();
            long product = elements(name, shape);
            if (offset < 0) throw Checks.invalid("offset of '" + name + "'", offset, ">= 0");
            if (length != product) throw Checks.invalid("length of '" + name + "'", length, "the product of its shape " + Arrays.toString(shape) + ", " + product);
            if ((long) offset + length > MAX_SIZE) throw Checks.invalid("end of '" + name + "'", (long) offset + length, "at most " + MAX_SIZE);
        }

        /** A copy of the dimensions (row-major; empty for a scalar). */
        @Override public int[] shape() { return shape.clone(); }

        @Override public boolean equals(Object o) {
            return o instanceof Param q && q.name.equals(name) && Arrays.equals(q.shape, shape) && q.offset == offset
                    && q.length == length;
        }

        @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

        @Override public String toString() { return name + Arrays.toString(shape) + "@" + offset; }
    }

    /** Most elements a layout holds (the largest Java array, less a margin). */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    /** The element count of {@code shape}, refusing negative dimensions and products past {@link #MAX_SIZE} (no wrap-around). */
    static long elements(String name, int[] shape) {
        long len = 1;
        for (int d : shape) {
            if (d < 0) throw Checks.invalid("shape of '" + name + "'", Arrays.toString(shape), "dimensions >= 0");
            if (d != 0 && len > MAX_SIZE / d) {
                boolean zero = false;
                for (int e : shape) zero |= e == 0;
                if (zero) return 0;
                throw Checks.invalid("shape of '" + name + "'", Arrays.toString(shape), "at most " + MAX_SIZE + " elements in all");
            }
            len *= d;
        }
        return len;
    }

    private final List<Param> params;
    private final Map<String, Param> byName;
    private final int size;

    private ParamLayout(List<Param> params) {
        this.params = Collections.unmodifiableList(params);
        Map<String, Param> m = new LinkedHashMap<>();
        int total = 0;
        for (Param p : params) {
            m.put(p.name(), p);
            total += p.length();
        }
        this.byName = Collections.unmodifiableMap(m);
        this.size = total;
    }

    /** An empty builder; {@link Builder#add} appends tensors back to back from offset 0. */
    public static Builder builder() { return new Builder(); }

    /** A layout of one tensor named {@code name} with {@code length} elements. */
    public static ParamLayout single(String name, int length) { return builder().add(name, length).build(); }

    /** Total number of elements. */
    public int size() { return size; }

    /** The tensors in layout order (by offset); unmodifiable. */
    public List<Param> params() { return params; }

    /** The tensor names in layout order; a new, modifiable list. */
    public List<String> names() { return new ArrayList<>(byName.keySet()); }

    /** Whether a tensor is named {@code name}. */
    public boolean contains(String name) { return byName.containsKey(name); }

    /** The parameter named {@code name}; refuses unknown names with the list of known ones. */
    public Param param(String name) {
        Param p = byName.get(name);
        if (p == null) throw Checks.invalid("parameter name", "'" + name + "'", "one of " + byName.keySet());
        return p;
    }

    @Override public boolean equals(Object o) { return o instanceof ParamLayout l && l.params.equals(params); }

    @Override public int hashCode() { return params.hashCode(); }

    @Override public String toString() { return "ParamLayout" + params; }

    /** Adds tensors in order; names must be unique and non-empty, dimensions {@code >= 0}. */
    public static final class Builder {
        private final List<Param> params = new ArrayList<>();
        private final Map<String, Boolean> seen = new LinkedHashMap<>();
        private long offset;

        private Builder() {}

        /** Adds a tensor; {@code shape} empty means a scalar (one element). */
        public Builder add(String name, int... shape) {
            if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
                throw Checks.invalid("parameter name", name == null ? null : "'" + name + "'", "a non-empty name without '/'");
            }
            if (seen.put(name, Boolean.TRUE) != null) {
                throw Checks.invalid("parameter name", "'" + name + "'", "unique within the layout (it was added twice)");
            }
            Checks.notNull("shape of '" + name + "'", shape);
            long len = elements(name, shape);
            if (offset + len > MAX_SIZE) {
                throw Checks.invalid("size of layout", offset + len, "at most " + MAX_SIZE + " elements");
            }
            params.add(new Param(name, shape, (int) offset, (int) len));
            offset += len;
            return this;
        }

        /** The layout of the tensors added so far (none gives an empty layout of size 0). */
        public ParamLayout build() { return new ParamLayout(new ArrayList<>(params)); }
    }
}

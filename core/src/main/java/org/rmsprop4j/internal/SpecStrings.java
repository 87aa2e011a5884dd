package org.rmsprop4j.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.SgdConfig;

/**
 * An optimizer configuration as plain strings (its family and its hyper-parameters by their record
 * names) and back, exactly, so that a host library's configuration system can hold it (Tribuo's
 * provenance, DL4J's JSON). The record components of each configuration are its hyper-parameters.
 * <b>Not API</b>: shared by the adapters; users name optimizers with {@code OptimizerSpecs}.
 */
public final class SpecStrings {
    private SpecStrings() {}

    private static final Map<String, Class<? extends OptimizerSpec>> KINDS = Map.of(
            "rmsprop", RmsPropConfig.class, "sgd", SgdConfig.class, "adagrad", AdagradConfig.class,
            "adadelta", AdadeltaConfig.class, "adam", AdamConfig.class, "adamw", AdamConfig.class);

    /** Every hyper-parameter of {@code spec} as a string that {@link #fromStrings} reads back exactly. */
    public static Map<String, String> toStrings(OptimizerSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        spec.hyperParameters().forEach((k, v) -> m.put(k, v instanceof Enum<?> e ? e.name() : String.valueOf(v)));
        return m;
    }

    /**
     * The configuration of family {@code kind} with these hyper-parameters; missing ones are refused.
     *
     * @throws IllegalArgumentException naming the unknown family, the missing or unknown hyper-parameter,
     *                                  or the value that does not parse or validate
     */
    public static OptimizerSpec fromStrings(String kind, Map<String, String> values) {
        Class<? extends OptimizerSpec> type = KINDS.get(kind);
        if (type == null) throw new IllegalArgumentException("optimizer kind must be one of " + new java.util.TreeSet<>(KINDS.keySet()) + ", got '" + kind + "'");
        RecordComponent[] rc = type.getRecordComponents();
        Object[] args = new Object[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            String name = rc[i].getName();
            types[i] = rc[i].getType();
            String v = values.get(name);
            // hyperParameters() names the arithmetic only when it is not the library's own (PYTORCH_1_13)
            if (v == null && types[i] == org.rmsprop4j.optim.Arithmetic.class) v = org.rmsprop4j.optim.Arithmetic.PYTORCH_1_13.name();
            if (v == null) throw new IllegalArgumentException("hyper-parameters of '" + kind + "' must include '" + name + "'; got " + values.keySet());
            args[i] = parse(kind, name, types[i], v.trim());
        }
        for (String k : values.keySet()) {
            boolean known = false;
            for (RecordComponent c : rc) known |= c.getName().equals(k);
            if (!known) throw new IllegalArgumentException("hyper-parameter '" + k + "' is not one of " + kind + "'s; accepted: " + java.util.Arrays.stream(rc).map(RecordComponent::getName).toList());
        }
        OptimizerSpec spec;
        try {
            Constructor<? extends OptimizerSpec> c = type.getDeclaredConstructor(types);
            spec = c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
        if (!spec.kind().equals(kind)) throw new IllegalArgumentException("hyper-parameters describe a '" + spec.kind() + "' optimizer, not '" + kind + "'");
        return spec;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(String kind, String name, Class<?> type, String v) {
        try {
            if (type == double.class) return Double.parseDouble(v);
            if (type == float.class) return Float.parseFloat(v);
            if (type == long.class) return Long.parseLong(v);
            if (type == int.class) return Integer.parseInt(v);
            if (type == boolean.class) {
                if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException();
                return Boolean.parseBoolean(v);
            }
            if (type.isEnum()) {
                for (Object c : type.getEnumConstants()) if (((Enum) c).name().equalsIgnoreCase(v)) return c;
                throw new IllegalArgumentException();
            }
            if (type == String.class) return v;
        } catch (IllegalArgumentException e) {
            String accepted = type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants()) : "a " + type.getSimpleName();
            throw new IllegalArgumentException(kind + " hyper-parameter '" + name + "' must be " + accepted + ", got '" + v + "'");
        }
        throw new IllegalStateException("unsupported hyper-parameter type " + type + " of " + name);
    }
}

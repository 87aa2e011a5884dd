package org.rmsprop4j.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.StateDict;

class StateTensorsTest {

    @TempDir Path dir;

    static final ParamLayout LAYOUT = ParamLayout.builder().add("w", 3, 2).add("b", 2).build();

    static Optimizer optimizer(Dtype dtype) {
        return Optimizer.builder(RmsPropPreset.GRAVES.config().withLearningRate(0.01))   // centered + momentum: three slots
                .layout(LAYOUT).dtype(dtype)
                .group("bias", List.of("b"), RmsPropConfig.builder().learningRate(0.005).build())
                .build();
    }

    /** An optimizer after a few steps on random gradients, so every buffer holds non-trivial values. */
    static Optimizer trained(Dtype dtype, int steps) {
        Optimizer o = optimizer(dtype);
        Random r = new Random(42);
        if (dtype == Dtype.FLOAT32) {
            float[] p = new float[LAYOUT.size()], g = new float[LAYOUT.size()];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
                o.step(p, g);
            }
        } else {
            double[] p = new double[LAYOUT.size()], g = new double[LAYOUT.size()];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian();
                o.step(p, g);
            }
        }
        return o;
    }

    @ParameterizedTest @EnumSource(Dtype.class)
    void ourFilesReadBackBitIdentical(Dtype dtype) throws IOException {
        Optimizer o = trained(dtype, 7);
        Path f = dir.resolve("opt.safetensors");
        StateTensors.save(o, f);

        Optimizer fresh = optimizer(dtype);
        StateTensors.loadInto(fresh, f);
        assertThat(fresh.stateDict()).isEqualTo(o.stateDict());
        assertThat(fresh.steps()).isEqualTo(7);

        // and without an optimizer: the metadata alone rebuilds the whole state
        StateDict alone = StateTensors.toStateDict(SafeTensors.read(f), null, f.toString());
        assertThat(alone).isEqualTo(o.stateDict());

        SafeTensors st = SafeTensors.read(f);
        assertThat(st.tensors().keySet()).containsExactly("rms/w/square_avg", "rms/w/grad_avg", "momentum/w/momentum_buffer", "rms/b/square_avg");
        assertThat(st.tensor("rms/w/square_avg").dtype()).isEqualTo(dtype == Dtype.FLOAT32 ? "F32" : "F64");
        assertThat(st.metadata()).containsEntry("kind", "rmsprop").containsEntry("group.default.step", "7")
                .containsEntry("group.bias.learning_rate", "0.005").containsEntry("params", "{\"w\":6,\"b\":2}");
        assertThat(Files.size(f) - 8 - ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo((6 * 3 + 2) * (dtype == Dtype.FLOAT32 ? 4L : 8L));
    }

    @Test
    void float32StateWidenedToFloat64ReadsBackExactly() throws IOException {
        Optimizer o = trained(Dtype.FLOAT32, 5);
        SafeTensors wide = StateTensors.of(o.stateDict(), Dtype.FLOAT64, Map.of(), Map.of());
        assertThat(wide.tensor("rms/w/grad_avg").dtype()).isEqualTo("F64");
        SafeTensors back = SafeTensors.parse(wide.toBytes(), "wide");
        assertThat(StateTensors.toStateDict(back, null, "wide")).isEqualTo(o.stateDict());
        assertThatThrownBy(() -> StateTensors.of(trained(Dtype.FLOAT64, 1).stateDict(), Dtype.FLOAT32, Map.of(), Map.of()))
                .hasMessageContaining("dtype must be float64");
    }

    @Test
    void parametersTravelBesideTheState() throws IOException {
        Optimizer o = trained(Dtype.FLOAT64, 3);
        double[] w = {1, 2, 3, 4, 5, 6.5}, b = {-1, 0.25};
        SafeTensors st = StateTensors.of(o.stateDict(), Dtype.FLOAT64, Map.of("w", w, "b", b), Map.of("schedule", "cosine(100, 0.0)"));
        SafeTensors back = SafeTensors.parse(st.toBytes(), "ck");
        assertThat(StateTensors.params(back, o.stateDict().paramLengths(), Dtype.FLOAT64, "ck")).containsExactly(1, 2, 3, 4, 5, 6.5, -1, 0.25);
        assertThat(back.metadata()).containsEntry("schedule", "cosine(100, 0.0)");
        assertThat(StateTensors.toStateDict(back, null, "ck")).isEqualTo(o.stateDict());
    }

    /** A file as another tool writes it: tensors only, its own order and shapes, a step count in the metadata. */
    @Test
    void handMadeFileFromAnotherToolLoads() throws IOException {
        Optimizer want = trained(Dtype.FLOAT32, 4);
        StateDict sd = want.stateDict();
        String[] order = {"rms/b/square_avg", "momentum/w/momentum_buffer", "rms/w/square_avg", "rms/w/grad_avg"};   // any order
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\",\"step\":\"4\"}");
        ByteBuffer data = ByteBuffer.allocate(20 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (String k : order) {
            int begin = data.position();
            for (double v : sd.buffer(k)) data.putFloat((float) v);
            String shape = k.contains("/w/") ? "[3,2]" : "[2]";
            header.append(", \"").append(k).append("\": {\"dtype\": \"F32\", \"shape\": ").append(shape)
                    .append(", \"data_offsets\": [").append(begin).append(", ").append(data.position()).append("]}");
        }
        header.append('}');
        Path f = dir.resolve("torch.safetensors");
        Files.write(f, file(header.toString(), data.array()));

        Optimizer fresh = optimizer(Dtype.FLOAT32);
        StateTensors.loadInto(fresh, f);
        assertThat(fresh.stateDict()).isEqualTo(sd);   // buffers bit for bit, steps from "step", learning rates kept
    }

    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).put(data).array();
    }

    static byte[] header(long length, String rest) {
        return ByteBuffer.allocate(8 + rest.length()).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(rest.getBytes(StandardCharsets.UTF_8)).array();
    }

    static final String ONE = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    static Stream<Arguments> malformed() {
        byte[] eight = new byte[8];
        return Stream.of(
                Arguments.of("shorter than the length", new byte[5], "is 5 bytes long"),
                Arguments.of("header past the end", header(1000, "{}"), "declares a header of 1000 bytes, but only 2"),
                Arguments.of("huge header", header(1L << 40, "{}"), "at most 100000000"),
                Arguments.of("negative header (u64 above 2^63)", header(-8, "{}"), "18446744073709551608"),
                Arguments.of("not an object", file("[1,2]", new byte[0]), "must start with '{'"),
                Arguments.of("not JSON", file("{\"w\": ", new byte[0]), "not valid JSON"),
                Arguments.of("duplicate name", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight), "Duplicate field 'w'"),
                Arguments.of("offsets past the data", file(ONE.replace("[0,8]", "[0,16]"), eight), "past the end of the data (8 bytes)"),
                Arguments.of("offsets reversed", file(ONE.replace("[0,8]", "[8,0]"), eight), "end before they begin"),
                Arguments.of("negative offset", file(ONE.replace("[0,8]", "[-4,8]"), eight), "expected integers >= 0"),
                Arguments.of("offset beyond a long", file(ONE.replace("[0,8]", "[0,99999999999999999999999]"), eight), "expected integers >= 0"),
                Arguments.of("overlapping tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "overlapping"),
                Arguments.of("gap between tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]), "belong to no tensor"),
                Arguments.of("trailing bytes", file(ONE, new byte[12]), "after the last tensor"),
                Arguments.of("shape does not match bytes", file(ONE.replace("[2]", "[3]"), eight), "shape [3] but 8 bytes"),
                Arguments.of("shape overflows", file(ONE.replace("[2]", "[4294967296,4294967296]"), eight), "more than 2^63"),
                Arguments.of("unknown dtype", file(ONE.replace("F32", "F99"), eight), "dtype 'F99'"),
                Arguments.of("dtype size wrong for bytes", file(ONE.replace("F32", "F64"), eight), "dtype F64 and shape [2] but 8 bytes"),
                Arguments.of("metadata not strings", file("{\"__metadata__\":{\"step\":4}}", new byte[0]), "metadata values must be strings"),
                Arguments.of("missing data_offsets", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0]}}", new byte[0]), "without a data_offsets"),
                Arguments.of("unknown field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":1}}", new byte[0]), "unknown field 'x'"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("malformed")
    void malformedOrLyingFilesAreRefusedAndNothingIsLoaded(String name, byte[] bytes, String message) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        Optimizer o = trained(Dtype.FLOAT32, 2);
        StateDict before = o.stateDict();
        assertThatThrownBy(() -> StateTensors.loadInto(o, f)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(message);
        assertThat(o.stateDict()).isEqualTo(before);
        assertThat(Files.readAllBytes(f)).isEqualTo(bytes);
    }

    /** Random damage to a valid file: every outcome is a valid file or an IOException, never another failure. */
    @Test
    void damagedFilesNeverFailOtherwise() throws IOException {
        byte[] good = StateTensors.of(trained(Dtype.FLOAT32, 2)).toBytes();
        Random r = new Random(3);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] b = good.clone();
            int hits = 1 + r.nextInt(4);
            for (int h = 0; h < hits; h++) {
                int at = r.nextInt(Math.min(b.length, 8 + 200 + r.nextInt(b.length)));
                b[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : "{}[]\",:0123456789-e. ".charAt(r.nextInt(20)));
            }
            if (r.nextInt(10) == 0) b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            try {
                SafeTensors st = SafeTensors.parse(b, "damaged");
                StateTensors.toStateDict(st, null, "damaged");
            } catch (IOException e) {
                refused++;
                assertThat(e.getMessage()).startsWith("damaged ");
            }
        }
        assertThat(refused).isGreaterThan(1000);
    }

    @Test
    void invalidUtf8HeaderIsRefused() {
        byte[] h = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
        byte[] b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
        assertThatThrownBy(() -> SafeTensors.parse(b, "x")).hasMessageContaining("not valid UTF-8");
    }

    /** Valid safetensors whose tensors do not fit the optimizer: refused, the optimizer untouched. */
    static Stream<Arguments> misfits() throws IOException {
        StateDict sd = trained(Dtype.FLOAT32, 3).stateDict();
        SafeTensors good = StateTensors.of(sd, Dtype.FLOAT32, Map.of(), Map.of());
        return Stream.of(
                Arguments.of("missing buffer", without(good, "rms/w/grad_avg"), "has no tensor 'rms/w/grad_avg'"),
                Arguments.of("extra buffer", with(good, "adam/w/exp_avg", SafeTensors.Tensor.f32(new double[6])), "does not keep"),
                Arguments.of("wrong element count", with(good, "rms/b/square_avg", SafeTensors.Tensor.f32(new double[3])), "(3 elements); the parameter has 2"),
                Arguments.of("integer dtype", with(good, "rms/b/square_avg", new SafeTensors.Tensor("I32", new long[] {2}, new byte[8])), "dtype I32; expected F32 or F64"),
                Arguments.of("F64 that float32 rounds", with(good, "rms/b/square_avg", SafeTensors.Tensor.f64(new double[] {0.1, 0.2})), "float32 would round"),
                Arguments.of("negative mean square", with(good, "rms/b/square_avg", SafeTensors.Tensor.f32(new double[] {1, -1})), "square_avg"),
                Arguments.of("other kind", withMeta(good, "kind", "adam"), "'adam' optimizer"),
                Arguments.of("bad step", withMeta(good, "group.bias.step", "-3"), "expected an integer >= 0"),
                Arguments.of("bad learning rate", withMeta(good, "group.bias.learning_rate", "fast"), "expected a finite number >= 0"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("misfits")
    void tensorsThatDoNotFitAreRefused(String name, SafeTensors file, String message) throws IOException {
        Path f = dir.resolve("misfit.safetensors");
        file.write(f);
        Optimizer o = trained(Dtype.FLOAT32, 1);
        StateDict before = o.stateDict();
        assertThatThrownBy(() -> StateTensors.loadInto(o, f)).hasMessageContaining(message);
        assertThat(o.stateDict()).isEqualTo(before);
    }

    @Test
    void fileWithoutMetadataNeedsAnOptimizer() {
        SafeTensors bare = new SafeTensors(Map.of("rms/w/square_avg", SafeTensors.Tensor.f32(new double[6])), Map.of());
        assertThatThrownBy(() -> StateTensors.toStateDict(bare, null, "bare.safetensors"))
                .hasMessageContaining("bare.safetensors has no metadata 'rmsprop4j.format_version'");
    }

    @Test
    void writingIsAtomic() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Files.writeString(f, "old");
        SafeTensors big = new SafeTensors(Map.of("x", SafeTensors.Tensor.f64(new double[] {1})), Map.of());
        big.write(f);
        assertThat(SafeTensors.read(f).tensor("x").toDoubles()).containsExactly(1.0);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("keep.safetensors");
        }
    }

    static SafeTensors without(SafeTensors s, String name) {
        var m = new java.util.LinkedHashMap<>(s.tensors());
        m.remove(name);
        return new SafeTensors(m, s.metadata());
    }

    static SafeTensors with(SafeTensors s, String name, SafeTensors.Tensor t) {
        var m = new java.util.LinkedHashMap<>(s.tensors());
        m.put(name, t);
        return new SafeTensors(m, s.metadata());
    }

    static SafeTensors withMeta(SafeTensors s, String key, String value) {
        var m = new java.util.LinkedHashMap<>(s.metadata());
        m.put(key, value);
        return new SafeTensors(s.tensors(), m);
    }
}

package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateIOTest {

    @TempDir Path dir;

    static ParamLayout layout() { return ParamLayout.builder().add("w", 3, 4).add("b", 5).add("z", 0).build(); }

    static Optimizer centeredMomentum(Dtype dtype) {
        RmsPropConfig c = RmsPropConfig.builder().centered(true).momentum(0.9).build();
        return Optimizer.builder(c).layout(layout()).dtype(dtype)
                .group("head", List.of("b"), c.toBuilder().learningRate(0.003).build()).build();
    }

    static float[] grads(int step) {
        float[] g = new float[17];
        for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(step * 1.7 + i * 0.31) * (1 + i % 3);
        return g;
    }

    @Test
    void saveLoadThenMoreStepsIsBitIdenticalToAnUninterruptedRun() throws IOException {
        Optimizer a = centeredMomentum(Dtype.FLOAT32);
        float[] pa = new float[17];
        Arrays.fill(pa, 0.5f);
        for (int t = 0; t < 7; t++) a.step(pa, grads(t));
        Path file = dir.resolve("state.bin");
        StateIO.save(a, file);
        float[] pb = pa.clone();
        Optimizer b = centeredMomentum(Dtype.FLOAT32);
        StateIO.loadInto(b, file);
        assertThat(b.steps()).isEqualTo(7);
        assertThat(b.stateDict()).isEqualTo(a.stateDict());
        for (int t = 7; t < 20; t++) {
            a.step(pa, grads(t));
            b.step(pb, grads(t));
        }
        assertThat(pb).containsExactly(pa);
        assertThat(b.stateDict()).isEqualTo(a.stateDict());
    }

    @Test
    void float64StateRoundTripsExactly() throws IOException {
        Optimizer a = Optimizer.builder(AdamConfig.builder().amsgrad(true).build()).layout(layout()).dtype(Dtype.FLOAT64).build();
        double[] p = new double[17];
        double[] g = new double[17];
        for (int i = 0; i < 17; i++) g[i] = Math.PI * (i - 8);
        a.step(p, g);
        Path file = dir.resolve("adam.bin");
        StateIO.save(a, file);
        assertThat(StateIO.load(file)).isEqualTo(a.stateDict());
    }

    @Test
    void aTruncatedFileIsRefusedAndTheOptimizerIsUnchanged() throws IOException {
        Optimizer a = centeredMomentum(Dtype.FLOAT32);
        a.step(new float[17], grads(1));
        byte[] bytes = StateIO.toBytes(a.stateDict());
        Optimizer b = centeredMomentum(Dtype.FLOAT32);
        StateDict fresh = b.stateDict();
        for (int cut : new int[] {0, 5, 20, bytes.length / 2, bytes.length - 1}) {
            Path f = dir.resolve("cut" + cut + ".bin");
            Files.write(f, Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> StateIO.loadInto(b, f)).isInstanceOf(IOException.class)
                    .hasMessageMatching(".*cut" + cut + "\\.bin is (truncated|truncated or corrupted|corrupted).*");
            assertThat(b.stateDict()).isEqualTo(fresh);
        }
    }

    @Test
    void anyFlippedByteIsRefused() throws IOException {
        Optimizer a = centeredMomentum(Dtype.FLOAT32);
        a.step(new float[17], grads(1));
        byte[] bytes = StateIO.toBytes(a.stateDict());
        for (int i = 8; i < bytes.length; i += 7) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            Path f = dir.resolve("bad.bin");
            Files.write(f, bad);
            assertThatThrownBy(() -> StateIO.load(f)).as("byte " + i).isInstanceOf(IOException.class)
                    .hasMessageContaining("bad.bin");
        }
    }

    @Test
    void notAStateFileAndNewerVersionsAreRefusedByName() throws IOException {
        Path f = dir.resolve("x.bin");
        Files.writeString(f, "hello world, this is not a state file at all");
        assertThatThrownBy(() -> StateIO.load(f)).hasMessageContaining("is not an rmsprop4j state file");
        byte[] bytes = StateIO.toBytes(centeredMomentum(Dtype.FLOAT32).stateDict());
        bytes[11] = 9;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).putLong(crc.getValue());
        Files.write(f, bytes);
        assertThatThrownBy(() -> StateIO.load(f)).hasMessageContaining("has state format version 9; this release reads versions 1..3");
    }

    @Test
    void saveReplacesTheTargetAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("s.bin");
        Files.writeString(file, "old contents");
        StateIO.save(centeredMomentum(Dtype.FLOAT32), file);
        assertThat(StateIO.load(file).kind()).isEqualTo("rmsprop");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("s.bin");
        }
    }

    @Test
    void aFlippedVersionByteIsReportedAsCorruptionNotAsANewerFormat() throws IOException {
        byte[] bytes = StateIO.toBytes(centeredMomentum(Dtype.FLOAT32).stateDict());
        bytes[11] = 1;
        Path f = dir.resolve("v.bin");
        Files.write(f, bytes);
        assertThatThrownBy(() -> StateIO.load(f)).hasMessageContaining("checksum mismatch");
    }

    /** Compatibility: a file written by format version 1 (committed) stays loadable. */
    @Test
    void aVersion1FileStaysLoadable() throws Exception {
        Path v1 = Path.of(StateIOTest.class.getResource("/statedict-v1.bin").toURI());
        StateDict sd = StateIO.load(v1);
        assertThat(sd.formatVersion()).isEqualTo(1);
        Optimizer b = centeredMomentum(Dtype.FLOAT32);
        b.loadStateDict(sd);
        assertThat(b.steps()).isEqualTo(3);
        assertThat(b.state("w", RmsPropConfig.SQUARE_AVG)[0]).isGreaterThan(0);
        assertThat(b.learningRate("head")).isEqualTo(0.003);
    }

    /** Compatibility: a file written by format version 2 (committed, transform-qualified keys and schedules) stays loadable. */
    @Test
    void aVersion2FileStaysLoadable() throws Exception {
        Path v2 = Path.of(StateIOTest.class.getResource("/statedict-v2.bin").toURI());
        StateDict sd = StateIO.load(v2);
        assertThat(sd.formatVersion()).isEqualTo(2);
        assertThat(sd.bufferKeys()).contains("rms/w/square_avg", "rms/w/grad_avg", "momentum/w/momentum_buffer");
        assertThat(sd.groups()).extracting(StateDict.GroupState::schedule).containsOnly("constant");
        Optimizer b = centeredMomentum(Dtype.FLOAT32);
        b.loadStateDict(sd);
        assertThat(b.steps()).isEqualTo(3);
        assertThat(b.state("w", RmsPropConfig.SQUARE_AVG)[0]).isGreaterThan(0);
        Optimizer a = centeredMomentum(Dtype.FLOAT32);
        float[] p = new float[17];
        for (int t = 0; t < 3; t++) a.step(p, grads(t));
        assertThat(b.stateDict()).isEqualTo(a.stateDict());
    }

    /** Writes the committed compatibility file of the current version; run by hand when the format version changes. */
    public static void main(String[] args) throws IOException {
        Optimizer a = centeredMomentum(Dtype.FLOAT32);
        float[] p = new float[17];
        for (int t = 0; t < 3; t++) a.step(p, grads(t));
        StateIO.save(a, Path.of(args[0]));
    }
}

package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.StateIO;
import org.rmsprop4j.safetensors.SafeTensors;
import org.rmsprop4j.train.Checkpoint;

class StateCommandTest {
    record Run(int code, String out, String err) {}

    @TempDir Path dir;

    static Run run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(code, o.toString(), e.toString());
    }

    Path checkpoint() {
        Path ck = dir.resolve("ck");
        Run r = run("train", "-d", "iris", "--epochs", "2", "--no-progress", "--checkpoint-dir", ck.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return ck;
    }

    @Test
    void checkpointExportsShowsAndImportsBackToTheSameBits() throws Exception {
        Path ck = checkpoint();
        Path st = dir.resolve("ck.safetensors");
        Run ex = run("state", "export", ck.toString(), "--out", st.toString());
        assertThat(ex.code()).as(ex.err()).isZero();
        assertThat(ex.out()).contains("wrote " + st).contains("parameters");

        Run show = run("state", "show", st.toString());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("kind = rmsprop").contains("model = ").contains("/square_avg").contains("F32");

        Checkpoint before = Checkpoint.load(ck);
        Path back = dir.resolve("back.bin");
        Run im = run("state", "import", st.toString(), "--like", ck.toString(), "--out", back.toString());
        assertThat(im.code()).as(im.err()).isZero();
        Checkpoint after = Checkpoint.load(back);
        assertThat(after.params()).isEqualTo(before.params());
        assertThat(after.optimizerState()).isEqualTo(before.optimizerState());
        assertThat(after.toBytes()).isEqualTo(before.toBytes());
    }

    @Test
    void stateFileRoundTripsWithoutATemplate() throws Exception {
        Path ck = checkpoint();
        Path state = dir.resolve("opt.state");
        StateIO.save(Checkpoint.load(ck).optimizerState(), state);
        Path st = dir.resolve("opt.safetensors");
        assertThat(run("state", "export", state.toString(), "--out", st.toString(), "--dtype", "float64").code()).isZero();
        assertThat(SafeTensors.read(st).tensors().values()).allMatch(t -> t.dtype().equals("F64"));
        Path back = dir.resolve("back.state");
        Run im = run("state", "import", st.toString(), "--out", back.toString());
        assertThat(im.code()).as(im.err()).isZero();
        assertThat(StateIO.load(back)).isEqualTo(StateIO.load(state));
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        Path ck = checkpoint();
        Path st = dir.resolve("ck.safetensors");
        assertThat(run("state", "export", ck.toString(), "--out", st.toString()).code()).isZero();
        // drop one state tensor: the import names it and leaves --out alone
        SafeTensors full = SafeTensors.read(st);
        var tensors = new LinkedHashMap<>(full.tensors());
        String dropped = tensors.keySet().stream().filter(k -> k.contains("/")).findFirst().orElseThrow();
        tensors.remove(dropped);
        Path partial = dir.resolve("partial.safetensors");
        new SafeTensors(tensors, full.metadata()).write(partial);
        Path out = dir.resolve("out.bin");
        Run r = run("state", "import", partial.toString(), "--like", ck.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("rmsprop4j import: ").contains("has no tensor '" + dropped + "'").doesNotContain("\n");
        assertThat(out).doesNotExist();

        // a step count that contradicts the checkpoint's position is refused
        Path moved = dir.resolve("moved.safetensors");
        var meta = new LinkedHashMap<>(full.metadata());
        meta.put("group.default.step", "999");
        new SafeTensors(full.tensors(), meta).write(moved);
        Run m = run("state", "import", moved.toString(), "--like", ck.toString(), "--out", out.toString());
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).contains("gives group 'default' 999 steps, but the checkpoint");
        assertThat(out).doesNotExist();

        Files.write(dir.resolve("junk.safetensors"), new byte[] {1, 0, 0, 0, 0, 0, 0, 0, '{'});
        Run j = run("state", "show", dir.resolve("junk.safetensors").toString());
        assertThat(j.code()).isEqualTo(2);
        assertThat(j.err()).contains("not a valid safetensors file");

        Run d = run("state", "export", ck.toString(), "--out", st.toString(), "--dtype", "int8");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).contains("--dtype must be float32 or float64, got 'int8'");
        assertThat(run("state", "show", dir.resolve("missing").toString()).err()).contains("no such safetensors file");
    }
}

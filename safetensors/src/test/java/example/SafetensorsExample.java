package example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.safetensors.SafeTensors;
import org.rmsprop4j.safetensors.StateTensors;

public final class SafetensorsExample {
    public static void main(String[] args) throws IOException {
        ParamLayout layout = ParamLayout.builder().add("w", 3, 2).add("b", 2).build();
        Optimizer opt = Optimizer.builder(RmsPropPreset.GRAVES.config()).layout(layout).build();
        float[] params = new float[layout.size()], grads = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 1f, -1f};
        for (int i = 0; i < 10; i++) opt.step(params, grads);

        Path file = Files.createTempFile("opt", ".safetensors");
        StateTensors.save(opt, file);               // rms/w/square_avg, momentum/w/momentum_buffer, ... as F32
        SafeTensors st = SafeTensors.read(file);    // checked: offsets, sizes, dtypes, overlaps
        System.out.println(st.tensors().keySet() + " step " + st.metadata().get("step"));

        Optimizer other = Optimizer.builder(RmsPropPreset.GRAVES.config()).layout(layout).build();
        StateTensors.loadInto(other, file);         // all or nothing; a file from another tool needs only the tensors
        System.out.println(other.stateDict().equals(opt.stateDict()));
        Files.delete(file);
    }
}

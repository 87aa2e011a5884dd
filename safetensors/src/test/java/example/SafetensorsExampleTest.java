package example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.testkit.readme.ReadmeExample;

/** The README shows this example verbatim, and it runs. */
class SafetensorsExampleTest {

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        ReadmeExample.assertReadmeShowsVerbatim("SafetensorsExample");
    }

    @Test
    void runs() throws Exception {
        assertThat(ReadmeExample.run(SafetensorsExample::main)).containsPattern("\\[rms/w/square_avg, rms/w/grad_avg, momentum/w/momentum_buffer, rms/b/square_avg, rms/b/grad_avg, momentum/b/momentum_buffer\\] step 10\\s+true");
    }
}

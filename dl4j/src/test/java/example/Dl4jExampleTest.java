package example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.testkit.readme.ReadmeExample;

/** The README shows this example verbatim, and it runs. */
class Dl4jExampleTest {

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        ReadmeExample.assertReadmeShowsVerbatim("Dl4jExample");
    }

    @Test
    void runs() throws Exception {
        assertThat(ReadmeExample.run(Dl4jExample::main)).containsPattern("training accuracy 0.9|training accuracy 1.000");
    }
}

package example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.testkit.readme.ReadmeExample;

/** The README shows this example verbatim, and it runs. */
class TribuoExampleTest {

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        ReadmeExample.assertReadmeShowsVerbatim("TribuoExample");
    }

    @Test
    void runs() throws Exception {
        assertThat(ReadmeExample.run(TribuoExample::main)).containsPattern("training accuracy 1.000|training accuracy 0.9");
    }
}

package example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README shows this example verbatim, and it runs. */
class TribuoExampleTest {

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String source = Files.readString(Path.of("src/test/java/example/TribuoExample.java"));
        String marker = "public final class TribuoExample {";
        int at = readme.indexOf(marker);
        assertThat(at).as("README has the TribuoExample block").isPositive();
        int start = readme.lastIndexOf("```java\n", at) + "```java\n".length();
        int end = readme.indexOf("```", at);
        assertThat(readme.substring(start, end).strip()).isEqualTo(source.strip());
    }

    @Test
    void runs() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            TribuoExample.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        assertThat(out).containsPattern("training accuracy 1.000|training accuracy 0.9");
    }
}

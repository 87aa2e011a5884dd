package org.rmsprop4j.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks for the README's runnable examples (safetensors, tribuo, dl4j): the README shows an example's
 * source verbatim, and the example runs. Test support only: it ships in testkit's {@code tests} jar
 * (type {@code test-jar}), never in its main jar.
 */
public final class ReadmeExample {
    private ReadmeExample() {}

    /** A {@code main} to run. */
    @FunctionalInterface
    public interface Main {
        void run(String[] args) throws Exception;
    }

    /**
     * Asserts that the {@code ```java} block of {@code ../README.md} that holds {@code public final class NAME {}
     * equals {@code src/test/java/example/NAME.java} (both stripped), run from a module's folder.
     *
     * @param name the example's class name, such as {@code "SafetensorsExample"}
     */
    public static void assertReadmeShowsVerbatim(String name) throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String source = Files.readString(Path.of("src/test/java/example/" + name + ".java"));
        int at = readme.indexOf("public final class " + name + " {");
        assertThat(at).as("README has the " + name + " block").isPositive();
        int start = readme.lastIndexOf("```java\n", at) + "```java\n".length();
        int end = readme.indexOf("```", at);
        assertThat(readme.substring(start, end).strip()).isEqualTo(source.strip());
    }

    /**
     * Runs {@code main} with no arguments, capturing {@code System.out} (then echoed, so the test log shows it).
     *
     * @return what it printed
     */
    public static String run(Main main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[0]);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        return out;
    }
}

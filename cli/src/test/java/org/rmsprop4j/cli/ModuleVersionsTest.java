package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every module's parent version is the root's, including modules built only under a profile
 * ({@code bench}, {@code bench-dl4j}), which the default build never reads: a stale one there breaks
 * the README's command for it and nothing else would notice.
 */
class ModuleVersionsTest {

    private static final Pattern PARENT = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL);

    @Test
    void everyModuleNamesTheRootVersionAsItsParent() throws IOException {
        Path root = Path.of("..");
        String rootPom = Files.readString(root.resolve("pom.xml"));
        String withoutParent = rootPom.replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher v = Pattern.compile("<artifactId>rmsprop4j-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(withoutParent);
        assertThat(v.find()).as("root pom declares its version after its artifactId").isTrue();
        String version = v.group(1);
        List<String> stale = new ArrayList<>();
        int modules = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).toList()) {
                if (dir.normalize().equals(root.normalize())) continue;
                Matcher m = PARENT.matcher(Files.readString(dir.resolve("pom.xml")));
                if (!m.find()) continue;
                modules++;
                if (!m.group(1).equals(version)) stale.add(dir.getFileName() + " names " + m.group(1));
            }
        }
        assertThat(modules).as("modules found").isGreaterThanOrEqualTo(14);
        assertThat(stale).as("modules whose parent version is not the root's " + version).isEmpty();
    }
}

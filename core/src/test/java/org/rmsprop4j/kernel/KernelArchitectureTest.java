package org.rmsprop4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The kernel tier stays plain: no lambdas, streams, for-each, boxing or allocation, and core depends on nothing. */
class KernelArchitectureTest {

    static final Path SRC = Path.of("src/main/java/org/rmsprop4j");

    static List<Path> sources(String pkg) throws IOException {
        try (Stream<Path> s = Files.walk(SRC.resolve(pkg))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    static String code(Path p) throws IOException {
        return Files.readString(p).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    @Test
    void kernelsUseOnlyPlainIndexedLoops() throws IOException {
        List<Path> files = sources("kernel");
        assertThat(files).isNotEmpty();
        Pattern forbidden = Pattern.compile("->|::|\\.stream\\(|\\bnew\\b|for\\s*\\([^;)]*:|Integer|(?<!\\w)Float\\b(?!\\.)|(?<!\\w)Double\\b(?!\\.)|synchronized");
        for (Path f : files) {
            // a species' type argument (VectorSpecies<Float>) names the element type, not a boxed value
            var m = forbidden.matcher(code(f).replaceAll("VectorSpecies<\\w+>", "VectorSpecies"));
            assertThat(m.find()).as(f + " contains '" + (m.find(0) ? m.group() : "") + "'").isFalse();
        }
    }

    /** Every float64 kernel source has its generated float32 class, and the generated code holds no {@code double}. */
    @Test
    void float32KernelsAreGeneratedFromEveryFloat64Source() throws IOException {
        Path generated = Path.of("target/generated-sources/kernels/org/rmsprop4j/kernel");
        for (Path f : sources("kernel")) {
            String name = f.getFileName().toString();
            if (!name.endsWith("Kernels.java")) continue;
            Path g = generated.resolve(name.replace("Kernels.java", "KernelsF32.java"));
            assertThat(g).as("generated from " + name).exists();
            String code = code(g);
            assertThat(code).doesNotContainPattern("\\bdouble\\b").contains("float[] p");
            var m = Pattern.compile("->|::|\\bnew\\b|for\\s*\\([^;)]*:").matcher(code);
            assertThat(m.find()).as(g + " holds forbidden code").isFalse();
            assertThat(code(f)).as(name + " is the float64 source").doesNotContainPattern("\\bfloat\\b");
        }
    }

    /** The module exports the API packages only: kernels, the pool and the shared helpers stay internal. */
    @Test
    void theModuleExportsOnlyTheApi() {
        var module = java.lang.module.ModuleFinder.of(Path.of("target/classes")).find("org.rmsprop4j.core");
        assertThat(module).isPresent();
        assertThat(module.get().descriptor().exports()).extracting(e -> e.source() + (e.isQualified() ? " to " + e.targets() : ""))
                .containsExactlyInAnyOrder("org.rmsprop4j.optim", "org.rmsprop4j.transform");
        // java.base, plus the Vector API as an optional (static) requirement of the 8-bit state's vector loops
        assertThat(module.get().descriptor().requires()).extracting(r -> r.name() + (r.modifiers().contains(
                java.lang.module.ModuleDescriptor.Requires.Modifier.STATIC) ? " (static)" : ""))
                .containsExactlyInAnyOrder("java.base", "jdk.incubator.vector (static)");
    }

    @Test
    void coreImportsOnlyTheJdk() throws IOException {
        try (Stream<Path> s = Files.walk(SRC)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import jdk.incubator.vector.") && (f.getFileName().toString().equals("Blockwise8Vector.java")
                            || f.getFileName().toString().equals("ProfileVectorF32.java") || f.getFileName().toString().equals("ProfileVectorF64.java")
                            || f.getFileName().toString().equals("ProfileVectorTribuo.java")
                            || f.getFileName().toString().equals("Float8Vector.java")
                            || f.getFileName().toString().equals("VectorWidth.java"))) continue;
                    if (line.startsWith("import ")) {
                        assertThat(line).as(f.toString()).matches("import (static )?(java\\.|org\\.rmsprop4j\\.).*");
                    }
                }
            }
        }
    }
}

package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rmsprop4j} launcher script, run with stand-ins for {@code java} and {@code mvn}. */
class LauncherTest {

    static Path script(Path p, String body) throws Exception {
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void reachedThroughASymlinkItRunsTheJarBesideItselfWithoutBuilding(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path launcher = Files.copy(Path.of("../rmsprop4j"), home.resolve("rmsprop4j"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.createDirectories(home.resolve("cli/target")).resolve("rmsprop4j.jar");
        Files.write(jar, new byte[0]);
        Files.setLastModifiedTime(launcher, FileTime.from(Instant.now().minusSeconds(60)));
        Path fake = Files.createDirectories(dir.resolve("fakebin"));
        script(fake.resolve("java"), "echo \"java $*\"");
        script(fake.resolve("mvn"), "echo 'mvn was called' >&2; exit 9");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("rmsprop4j"), Path.of("../home/rmsprop4j"));
        Path link2 = Files.createSymbolicLink(dir.resolve("again"), link); // a link to a link
        for (Path l : new Path[] {link, link2}) {
            ProcessBuilder pb = new ProcessBuilder(l.toString(), "--version").redirectErrorStream(true);
            pb.environment().put("PATH", fake + ":" + System.getenv("PATH"));
            Process p = pb.start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(out).as(out).doesNotContain("mvn was called").contains("-jar " + jar.toRealPath() + " --version");
            assertThat(p.exitValue()).isZero();
        }
        // the Vector API module: for train, bench and 8-bit state, not for other commands, never with RMSPROP4J_VECTOR=0
        String vec = "--add-modules=jdk.incubator.vector";
        assertThat(run(link, fake, null, "train", "digits", "-m", "mlp:128")).contains(vec);
        assertThat(run(link, fake, null, "train", "--help")).doesNotContain(vec).contains("-jar");
        assertThat(run(link, fake, null, "bench", "--quick")).contains(vec);
        assertThat(run(link, fake, null, "demo", "--state-bits", "8")).contains(vec);
        assertThat(run(link, fake, null, "demo")).doesNotContain(vec);
        assertThat(run(link, fake, "0", "train", "--state-bits", "8")).doesNotContain(vec).contains("-jar");
    }

    private static String run(Path launcher, Path fake, String vectorEnv, String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>(java.util.List.of(launcher.toString()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", fake + ":" + System.getenv("PATH"));
        if (vectorEnv != null) pb.environment().put("RMSPROP4J_VECTOR", vectorEnv);
        else pb.environment().remove("RMSPROP4J_VECTOR");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes());
    }
}

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
    }
}

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

/** Where {@code bench} puts its arrays ({@link StepTimer.Placement}), and the huge pages both sides get. */
class BenchPlacementTest {

    private static final long MIB = 1L << 20;

    @Test
    void aliasedMeansAMultipleOf128MiBApartWithinAPage() {
        long a = 0x6_96c0_0010L;
        assertThat(StepTimer.Placement.aliased(a, a + 384 * MIB)).isTrue(); // G1's 96-region arrays back to back
        assertThat(StepTimer.Placement.aliased(a + 512 * MIB, a)).isTrue();
        assertThat(StepTimer.Placement.aliased(a, a + 384 * MIB + 4095)).isTrue();
        assertThat(StepTimer.Placement.aliased(a, a + 384 * MIB - 4095)).isTrue();
        assertThat(StepTimer.Placement.aliased(a, a + 388 * MIB)).isFalse(); // with a one-region spacer between
        assertThat(StepTimer.Placement.aliased(a, a + 384 * MIB + 4096)).isFalse();
        assertThat(StepTimer.Placement.aliased(a, a + 64 * MIB)).isFalse();
        assertThat(StepTimer.Placement.aliased(-1, a)).isFalse(); // unknown address
    }

    @Test
    void addressesOfArraysAreReadWhereTheJvmAllowsIt() {
        float[] x = new float[1 << 20];
        long ax = StepTimer.Placement.address(x);
        if (ax < 0) return; // not HotSpot, or a heap mode whose addresses are not read: placement falls back to the spacer
        assertThat(ax % 8).isEqualTo(StepTimer.Placement.address(new byte[16]) % 8);
        assertThat(StepTimer.Placement.address(x)).isEqualTo(ax); // a large array does not move between two reads here
        assertThat(StepTimer.Placement.address(null)).isEqualTo(-1);
    }

    @Test
    void placedArraysAreNotAliasedWithTheGivenOnes() {
        float[] v = new float[3 << 20];
        float[] p = StepTimer.placed(float[]::new, 3 << 20, v);
        float[] g = StepTimer.placed(float[]::new, 3 << 20, v, p);
        assertThat(p).hasSize(3 << 20);
        assertThat(g).hasSize(3 << 20);
        assertThat(StepTimer.Placement.aliasesAny(p, v)).isFalse();
        assertThat(StepTimer.Placement.aliasesAny(g, v, p)).isFalse();
    }

    @Test
    void theStepperRecordsWhereItsArraysAreAndTheStateIsFound() {
        Runnable step = StepTimer.stepper("fp32", 1 << 20, 1, 1);
        step.run();
        assertThat(StepTimer.lastPlacement).isNotNull();
        if (StepTimer.Placement.address(new float[1]) >= 0) {
            assertThat(StepTimer.lastPlacement).startsWith("state → params ").contains("no two a multiple of 128 MiB apart");
        }
    }

    @Test
    void theCLoopGetsHugePagesExactlyWhenThisJvmHasThem() {
        assertThat(StepTimer.cPageArgs()).isEqualTo(StepTimer.jvmHugePages() ? java.util.List.of("--thp", "1") : java.util.List.of());
    }

    @Test
    void theLauncherAsksForHugePagesUnlessToldNotToOrTheKernelHasNone(@TempDir Path dir) throws Exception {
        // the launcher asks only where the kernel offers THP ("always" or "madvise"); elsewhere the JVM would warn on every run
        Path sys = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.isReadable(sys) && Files.readString(sys).matches("(?s).*\\[(always|madvise)\\].*");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path launcher = Files.copy(Path.of("../rmsprop4j"), home.resolve("rmsprop4j"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(launcher, FileTime.from(Instant.now().minusSeconds(60)));
        Files.write(Files.createDirectories(home.resolve("cli/target")).resolve("rmsprop4j.jar"), new byte[0]);
        Path fake = Files.createDirectories(dir.resolve("fakebin"));
        LauncherTest.script(fake.resolve("java"), "echo \"java $*\"");
        LauncherTest.script(fake.resolve("mvn"), "echo 'mvn was called' >&2; exit 9");
        for (String thp : new String[] {null, "1", "0"}) {
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "bench", "--quick").redirectErrorStream(true);
            pb.environment().put("PATH", fake + ":" + System.getenv("PATH"));
            if (thp != null) pb.environment().put("RMSPROP4J_THP", thp);
            else pb.environment().remove("RMSPROP4J_THP");
            Process p = pb.start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            if ("0".equals(thp) || !offered) assertThat(out).as(out).doesNotContain("UseTransparentHugePages").contains(" bench --quick");
            else assertThat(out).as(out).contains(" -XX:+UseTransparentHugePages -jar ").contains(" bench --quick");
        }
    }
}

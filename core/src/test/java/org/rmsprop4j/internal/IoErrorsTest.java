package org.rmsprop4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.StateIO;

class IoErrorsTest {

    @TempDir Path dir;

    @Test
    void namesTheReasonNotOnlyThePath() {
        assertThat(IoErrors.reason(new NoSuchFileException("/x"))).isEqualTo("no such file or directory");
        assertThat(IoErrors.reason(new AccessDeniedException("/x"))).isEqualTo("permission denied");
        assertThat(IoErrors.reason(new FileSystemException("/x", null, "Read-only file system"))).isEqualTo("Read-only file system");
        assertThat(IoErrors.reason(new IOException("disk full"))).isEqualTo("disk full");
    }

    @Test
    void aFailedAtomicWriteNamesTheReasonAndLeavesTheOldFile() throws IOException {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        try {
            StateIO.writeAtomically(blocker.resolve("inside.bin"), new byte[] {1});
            throw new AssertionError("writing under a regular file must fail");
        } catch (IOException e) {
            assertThat(IoErrors.reason(e)).isNotBlank().doesNotContain(dir.toString());
        }
        assertThat(Files.readString(blocker)).isEqualTo("x");
    }
}

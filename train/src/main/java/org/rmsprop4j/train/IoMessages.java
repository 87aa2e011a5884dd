package org.rmsprop4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.rmsprop4j.internal.IoErrors;

/** Early checks of the folders and files a training run writes. */
public final class IoMessages {
    private IoMessages() {}

    /**
     * Creates the checkpoint folder {@code dir} when needed and checks that a file can be written in
     * it (writes and deletes a probe file).
     *
     * @throws IOException "cannot write checkpoints to DIR: REASON"
     */
    public static void checkCheckpointFolder(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("cannot write checkpoints to " + dir + ": " + IoErrors.reason(e), e);
        }
    }
}

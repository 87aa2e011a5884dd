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
            removeStaleTempFiles(dir);
            Path probe = Files.createTempFile(dir, ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("cannot write checkpoints to " + dir + ": " + IoErrors.reason(e), e);
        }
    }

    /** The temporary files our atomic writes and probes leave behind when the process is killed mid-write. */
    static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("\\." + java.util.regex.Pattern.quote(Checkpoint.FILE_NAME)
            + "\\.\\d+\\.tmp|\\.probe-\\d+\\.tmp");

    /**
     * Deletes, in the checkpoint folder, the temporary files of our own pattern
     * ({@code .checkpoint.bin.<digits>.tmp}, {@code .probe-<digits>.tmp}) that a run killed during a
     * checkpoint write leaves (one run per folder: a second run writing into the same folder at the
     * same time is not supported). Other files are never touched.
     *
     * @return how many were deleted
     */
    public static int removeStaleTempFiles(Path dir) throws IOException {
        int n = 0;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (STALE.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }
}

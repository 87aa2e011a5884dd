package org.rmsprop4j.train;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Short, human reasons for file errors, whose own messages are often just the path. */
public final class IoMessages {
    private IoMessages() {}

    /** Why {@code e} happened, in a few words: "no such file or directory", "permission denied", ... */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileAlreadyExistsException) return "a file of that name is in the way";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof FileSystemException fe) {
            String r = fe.getReason();
            return r != null ? r : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

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
            throw new IOException("cannot write checkpoints to " + dir + ": " + reason(e), e);
        }
    }
}

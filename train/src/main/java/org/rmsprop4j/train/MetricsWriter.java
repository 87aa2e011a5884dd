package org.rmsprop4j.train;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A {@link TrainingListener} that writes one line per epoch: CSV with a header when the file name
 * ends in {@code .csv}, JSON lines otherwise. Each line is flushed as it is written. With
 * {@code append} (for resumed runs) an existing file is continued and the CSV header is not repeated.
 */
public final class MetricsWriter implements TrainingListener, Closeable {
    private final BufferedWriter out;
    private final boolean csv;

    /**
     * Opens {@code file}; creates its folder when needed.
     *
     * @throws IOException "cannot write metrics to FILE: REASON"
     */
    public MetricsWriter(Path file, boolean append) throws IOException {
        csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            boolean existed = Files.exists(file) && Files.size(file) > 0;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            if (csv && !(append && existed)) {
                out.write(EpochMetrics.CSV_HEADER);
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            throw new IOException("cannot write metrics to " + file + ": " + org.rmsprop4j.internal.IoErrors.reason(e), e);
        }
    }

    @Override public void epochDone(EpochMetrics m) {
        try {
            out.write(csv ? m.csv() : m.json());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public void close() throws IOException { out.close(); }
}

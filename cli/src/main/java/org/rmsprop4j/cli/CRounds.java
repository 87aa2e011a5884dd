package org.rmsprop4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The C loop as the baseline side of an interleaved measurement: one {@code rmsprop_bench --serve 1}
 * process that allocates, fills and warms its arrays once, then times one round per line written to
 * its stdin and answers with one JSON line. Between rounds it waits in a blocking read, so it takes no
 * CPU while our step is timed.
 */
final class CRounds implements StepTimer.Side, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path errFile;

    private CRounds(Process process, Path errFile) {
        this.process = process;
        this.errFile = errFile;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts the C bench built at {@code binary} with {@code a} and waits until it is warm (its "ready" line). */
    static CRounds start(Path binary, Baselines.Args a) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(a.list());
        cmd.addAll(StepTimer.cPageArgs());
        cmd.add("--serve");
        cmd.add("1");
        Path err = Files.createTempFile("rmsprop4j-c-rounds", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        CRounds c = new CRounds(p, err);
        try {
            JsonNode ready = c.readLine();
            if (!ready.path("ready").asBoolean()) throw new IOException("C bench --serve: expected its ready line, got " + ready);
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override public StepTimer.Round round(long ms) throws IOException {
        in.write(ms + "\n");
        in.flush();
        JsonNode n = readLine();
        if (!n.path("ns_per_step").isNumber()) throw new IOException("C bench --serve printed no ns_per_step: " + n);
        return new StepTimer.Round(n.get("ns_per_step").asDouble(), n.path("min_ns_per_step").asDouble(), n.path("p10_ns_per_step").asDouble(),
                n.path("p90_ns_per_step").asDouble(), n.path("max_ns_per_step").asDouble(), n.path("samples").asInt());
    }

    private JsonNode readLine() throws IOException {
        String l = out.readLine();
        if (l == null) {
            String why = "";
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                why = Files.readString(errFile, StandardCharsets.UTF_8).strip();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("C bench --serve ended" + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse("")));
        }
        return JSON.readTree(l);
    }

    @Override public void close() {
        try {
            in.write("q\n");
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(errFile);
        } catch (IOException e) {
            // a leftover temp file is not worth failing the benchmark for
        }
    }
}

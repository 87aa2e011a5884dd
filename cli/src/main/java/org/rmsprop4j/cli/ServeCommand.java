package org.rmsprop4j.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.rmsprop4j.playground.PlaygroundServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rmsprop4j serve}: the playground page and its JSON API, until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the playground: one page that races optimizers on 2-D loss surfaces in the browser, and the JSON API it uses.",
                "Binds the loopback interface only unless --host says otherwise. Needs no network: the page's libraries come with the jar.",
                "Stop it with Ctrl-C.",
                "Example: rmsprop4j serve --port 8080, then open http://127.0.0.1:8080/"})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port, 0..65535; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 exposes the server to the network).")
    String host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Released to stop a running server (tests); a real run waits until the process is interrupted. */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile PlaygroundServer running;

    @Override public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) throw new CliException("--port must be in [0, 65535], got " + port);
        PlaygroundServer s;
        try {
            s = PlaygroundServer.start(host, port);
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot listen on " + host + ":" + port + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        running = s;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "playground-stop"));
        var out = spec.commandLine().getOut();
        out.println("rmsprop4j playground: serving " + s.url() + " (Ctrl-C stops)");
        out.flush();
        try {
            stop.await();
        } finally {
            s.close();
        }
        return 0;
    }
}

package org.rmsprop4j.playground;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The playground's HTTP server (the JDK's {@code com.sun.net.httpserver}): serves the page and the
 * API of {@link Api} on one address, by default the loopback interface only. Requests run on a
 * small fixed pool of daemon threads; request bodies are read up to {@link Api#MAX_BODY} bytes and
 * refused above it. {@link #close()} stops it.
 */
public final class PlaygroundServer implements AutoCloseable {

    /** Worker threads answering requests. */
    static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService pool;
    private final Api api = new Api();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private PlaygroundServer(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /**
     * Starts serving on {@code host:port} ({@code port} 0 picks a free one).
     *
     * @throws IllegalArgumentException if the port is out of range or the host cannot be resolved
     * @throws IOException              if the address cannot be bound (in use, not local, ...)
     */
    public static PlaygroundServer start(String host, int port) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must be a host name or address, got '" + host + "'");
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("host must be a host name or address this machine can resolve, got '" + host + "'");
        }
        HttpServer s = HttpServer.create(new InetSocketAddress(addr, port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "playground-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(pool);
        PlaygroundServer ps = new PlaygroundServer(s, pool);
        s.createContext("/", ps::exchange);
        s.start();
        return ps;
    }

    /** The port actually bound. */
    public int port() { return server.getAddress().getPort(); }

    /** The page's URL, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String h = a.getAddress().getHostAddress();
        if (h.contains(":")) h = "[" + h + "]";
        return "http://" + h + ":" + a.getPort() + "/";
    }

    private void exchange(HttpExchange ex) {
        try {
            Api.Response r;
            try {
                byte[] body = readBody(ex);
                r = body == null ? Api.Response.error(413, "request body must be at most " + Api.MAX_BODY + " bytes")
                        : api.handle(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(), body);
            } catch (RuntimeException | OutOfMemoryError e) {
                // a bug of ours, not the client's: no stack trace goes out
                r = Api.Response.error(500, "internal error (" + e.getClass().getSimpleName() + "); please report it");
            }
            var h = ex.getResponseHeaders();
            h.set("Content-Type", r.contentType());
            h.set("X-Content-Type-Options", "nosniff");
            if (!r.headers().containsKey("Cache-Control")) h.set("Cache-Control", "no-store");
            r.headers().forEach(h::set);
            if (r.status() == 405) h.set("Allow", ex.getRequestURI().getPath().matches("/api/(race|sweep|export)") ? "POST" : "GET, HEAD");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length == 0 ? -1 : r.body().length);
            if (!head && r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        } finally {
            ex.close();
        }
    }

    /** The body, or null when it is longer than {@link Api#MAX_BODY} (reads no further than one byte past it). */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(Api.MAX_BODY + 1);
            return b.length > Api.MAX_BODY ? null : b;
        }
    }

    /** Stops accepting requests, lets running ones finish for up to a second, and stops the threads. */
    @Override public void close() {
        if (!closed.compareAndSet(false, true)) return;
        server.stop(1);
        pool.shutdownNow();
    }
}

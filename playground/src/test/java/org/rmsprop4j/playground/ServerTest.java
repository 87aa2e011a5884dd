package org.rmsprop4j.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real server on loopback: addresses, limits on the wire, and a bounded load test. */
class ServerTest {

    static PlaygroundServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = PlaygroundServer.start("127.0.0.1", 0);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).timeout(Duration.ofSeconds(30));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsTheLoopbackAddressAskedFor() {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
        assertThat(server.port()).isPositive();
    }

    @Test
    void refusesAnOversizedBodyOnTheWireWith413() throws Exception {
        HttpResponse<String> r = send("POST", "/api/race", "{\"pad\":\"" + "x".repeat(100_000) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("at most 65536 bytes");
        assertThat(send("GET", "/api/surfaces", null).statusCode()).isEqualTo(200); // still answers
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() throws Exception {
        HttpResponse<String> r = send("GET", "/no/such/thing", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        HttpResponse<String> m = send("DELETE", "/api/race", null);
        assertThat(m.statusCode()).isEqualTo(405);
        assertThat(m.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void badHostAndPortAreRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlaygroundServer.start("127.0.0.1", 70000))
                .hasMessageContaining("port must be in [0, 65535], got 70000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlaygroundServer.start("no-such-host.invalid", 0))
                .hasMessageContaining("host must be");
    }

    /**
     * 2,000 requests from 8 clients at once on loopback (races, surfaces, the page, some refusals):
     * every answer is the expected one, and the server still answers afterwards.
     */
    @Test
    void boundedLoadTestHasNoErrors() throws Exception {
        int clients = 8, perClient = 250;
        AtomicInteger errors = new AtomicInteger(), ok = new AtomicInteger();
        List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService ex = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int cc = c;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        int kind = (cc + i) % 4;
                        try {
                            HttpResponse<String> r;
                            int expect;
                            switch (kind) {
                                case 0 -> { r = send("POST", "/api/race", "{\"surface\":\"rosenbrock\",\"steps\":100,\"optimizers\":[\"rmsprop:lr=0.01\",\"adam:lr=0.05\"]}"); expect = 200; }
                                case 1 -> { r = send("GET", "/api/surfaces", null); expect = 200; }
                                case 2 -> { r = send("GET", "/", null); expect = 200; }
                                default -> { r = send("POST", "/api/race", "{\"surface\":\"mars\",\"optimizers\":[\"adam\"]}"); expect = 400; }
                            }
                            if (r.statusCode() == expect) ok.incrementAndGet();
                            else {
                                errors.incrementAndGet();
                                if (firstErrors.size() < 5) firstErrors.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            if (firstErrors.size() < 5) firstErrors.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            ex.shutdownNow();
        }
        assertThat(firstErrors).isEmpty();
        assertThat(errors.get()).isZero();
        assertThat(ok.get()).isEqualTo(clients * perClient);
        assertThat(send("GET", "/api/surfaces", null).statusCode()).isEqualTo(200);
    }
}

package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class ServeCommandTest {

    @Test
    void servesThePageOnLoopbackUntilStopped() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        ServeCommand serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
        int[] code = {-1};
        Thread t = new Thread(() -> code[0] = cl.execute("serve", "--port", "0"));
        t.start();
        for (int i = 0; i < 200 && serve.running == null; i++) Thread.sleep(25);
        assertThat(serve.running).as(err.toString()).isNotNull();
        String url = serve.running.url();
        assertThat(url).startsWith("http://127.0.0.1:");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/surfaces")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"rosenbrock\"");
        serve.stop.countDown();
        t.join(5000);
        assertThat(code[0]).isZero();
        assertThat(out.toString()).contains("serving " + url);
    }

    @Test
    void refusesABadPortOrHostByName() {
        StringWriter o = new StringWriter(), e = new StringWriter();
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "serve", "--port", "70000")).isEqualTo(2);
        assertThat(e.toString()).contains("--port must be in [0, 65535], got 70000");
        e.getBuffer().setLength(0);
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "serve", "--port", "0", "--host", "no-such-host.invalid")).isEqualTo(2);
        assertThat(e.toString()).contains("--host must be");
    }
}

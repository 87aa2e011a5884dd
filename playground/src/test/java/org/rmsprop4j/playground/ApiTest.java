package org.rmsprop4j.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.rmsprop4j.sim.Simulator;
import org.rmsprop4j.sim.SpecParser;
import org.rmsprop4j.sim.Surfaces;
import org.rmsprop4j.sim.Trajectory;

/** The API as a function: answers, and every refusal a 4xx with a message naming the problem. */
class ApiTest {

    private final Api api = new Api();

    private Api.Response post(String path, String body) {
        return api.handle("POST", path.contains("?") ? path.substring(0, path.indexOf('?')) : path,
                path.contains("?") ? path.substring(path.indexOf('?') + 1) : null, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(Api.Response r) throws Exception {
        assertThat(r.contentType()).startsWith("application/json");
        return Api.MAPPER.readTree(r.body());
    }

    @Test
    void raceAnswersTheContractWithOneEntryPerRecordedStepIncludingTheStart() throws Exception {
        Api.Response r = post("/api/race",
                "{\"surface\":\"beale\",\"start\":[1.0,1.5],\"steps\":300,\"optimizers\":[\"rmsprop:preset=keras,lr=0.01\",\"adam:lr=0.05\"]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode runs = json(r).get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("optimizer").asText()).isEqualTo("rmsprop:preset=keras,lr=0.01");
        assertThat(runs.get(1).get("optimizer").asText()).isEqualTo("adam:lr=0.05");
        // the same numbers as the simulator run directly with plot's parser
        Trajectory t = Simulator.race(Surfaces.beale(), new org.rmsprop4j.sim.Surface.Point(1.0, 1.5), 300,
                SpecParser.parseAll("--opt", List.of("rmsprop:preset=keras,lr=0.01", "adam:lr=0.05"))).trajectories().get(1);
        JsonNode adam = runs.get(1);
        assertThat(adam.get("x")).hasSize(t.frames());
        assertThat(adam.get("y")).hasSize(t.frames());
        assertThat(adam.get("loss")).hasSize(t.frames());
        assertThat(t.frames()).isEqualTo(301);
        assertThat(adam.get("x").get(0).asDouble()).isEqualTo(1.0);
        assertThat(adam.get("y").get(0).asDouble()).isEqualTo(1.5);
        assertThat(adam.get("x").get(300).asDouble()).isEqualTo(t.x(300));
        assertThat(adam.get("loss").get(300).asDouble()).isEqualTo(t.loss(300));
        assertThat(adam.get("stop").asText()).isEqualTo("completed");
        // inspector columns come from what the trajectory recorded
        assertThat(adam.get("meanSquareX").get(10).asDouble()).isEqualTo(t.squaredGradientAccumulator(10, 0));
        assertThat(adam.get("bufferY").get(10).asDouble()).isEqualTo(t.momentum(10, 1));
        assertThat(adam.get("effStepX").get(0).isNull()).isTrue();
        assertThat(adam.get("effStepX").get(5).asDouble()).isEqualTo(t.effectiveStep(5, 0));
    }

    @Test
    void aDivergingRunIsShorterAndSaysWhy() throws Exception {
        JsonNode run = json(post("/api/race", "{\"surface\":\"bowl\",\"steps\":100,\"optimizers\":[\"sgd:lr=1.5\"]}")).get("runs").get(0);
        assertThat(run.get("stop").asText()).isIn("diverged", "non_finite");
        assertThat(run.get("stopMessage").asText()).contains("step");
        assertThat(run.get("x").size()).isLessThan(101).isEqualTo(run.get("stepsTaken").asInt() + 1);
        assertThat(run.get("leftDomainAt").asInt()).isPositive();
        assertThat(run.get("meanSquareX").isNull()).isTrue();
        assertThat(run.get("bufferX").isNull()).isTrue();
    }

    @Test
    void surfacesListDomainsAndDefaultStarts() throws Exception {
        Api.Response r = api.handle("GET", "/api/surfaces", null, new byte[0]);
        JsonNode ss = json(r).get("surfaces");
        assertThat(ss).hasSize(Surfaces.all().size());
        JsonNode beale = null;
        for (JsonNode s : ss) if (s.get("name").asText().equals("beale")) beale = s;
        assertThat(beale).isNotNull();
        assertThat(beale.get("domain").get("xMin").asDouble()).isEqualTo(Surfaces.beale().domain().xMin());
        assertThat(beale.get("start").get(0).asDouble()).isEqualTo(Surfaces.beale().start().x());
    }

    @Test
    void mapGivesTheSharedShadingGrid() throws Exception {
        JsonNode m = json(api.handle("GET", "/api/map", "surface=rosenbrock&n=50", new byte[0]));
        assertThat(m.get("values")).hasSize(2500);
        assertThat(m.get("levels")).hasSize(org.rmsprop4j.viz.LossMap.LEVELS);
        assertThat(m.get("hi").asDouble()).isGreaterThan(m.get("lo").asDouble());
    }

    @Test
    void sweepMarksTheBestCell() throws Exception {
        JsonNode s = json(post("/api/sweep", "{\"surface\":\"bowl\",\"steps\":50,\"optimizer\":\"rmsprop\","
                + "\"lr\":{\"from\":0.001,\"to\":1,\"n\":4},\"decay\":{\"from\":0.5,\"to\":0.99,\"n\":3}}"));
        assertThat(s.get("finalLoss")).hasSize(4);
        assertThat(s.get("finalLoss").get(0)).hasSize(3);
        int bi = s.get("best").get("i").asInt(), bj = s.get("best").get("j").asInt();
        double best = s.get("finalLoss").get(bi).get(bj).asDouble();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                if (!s.get("diverged").get(i).get(j).asBoolean()) assertThat(s.get("finalLoss").get(i).get(j).asDouble()).isGreaterThanOrEqualTo(best);
            }
        }
    }

    @Test
    void exportsCsvWithOneRowPerFrame() {
        Api.Response r = post("/api/export?format=csv", "{\"surface\":\"bowl\",\"steps\":20,\"optimizers\":[\"rmsprop\",\"adam\"]}");
        assertThat(r.status()).isEqualTo(200);
        String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1 + 2 * 21);
        assertThat(lines[0]).startsWith("label,optimizer,step,x,y,loss");
        assertThat(r.headers().get("Content-Disposition")).contains("race-bowl.csv");
    }

    @Test
    void exportsPngAndSvg() {
        Api.Response png = post("/api/export?format=png", "{\"surface\":\"bowl\",\"steps\":20,\"optimizers\":[\"rmsprop\"],\"step\":10,\"width\":480,\"height\":320}");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        Api.Response svg = post("/api/export?format=svg", "{\"surface\":\"bowl\",\"steps\":20,\"optimizers\":[\"rmsprop\"]}");
        assertThat(new String(svg.body(), StandardCharsets.UTF_8)).contains("<svg");
    }

    /** Every refusal the issue lists, and a few more: status, and words the message must contain. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON            | /api/race   | {"surface":"beale",                                                        | 400 | valid JSON
            not an object             | /api/race   | [1,2]                                                                      | 400 | JSON object
            empty body                | /api/race   |                                                                            | 400 | empty body
            unknown surface           | /api/race   | {"surface":"mars","optimizers":["adam"]}                                   | 400 | surface must be one of; 'mars'
            surface not a string      | /api/race   | {"surface":3,"optimizers":["adam"]}                                        | 400 | surface must be one of
            unknown optimizer kind    | /api/race   | {"surface":"beale","optimizers":["lion:lr=1"]}                             | 400 | kind must be one of; lion
            unknown optimizer key     | /api/race   | {"surface":"beale","optimizers":["adam:lrr=1"]}                            | 400 | lrr is not a setting of adam; accepted: lr
            bad optimizer value       | /api/race   | {"surface":"beale","optimizers":["rmsprop:decay=1.5"]}                     | 400 | decay; 1.5
            unknown preset            | /api/race   | {"surface":"beale","optimizers":["rmsprop:preset=torch"]}                  | 400 | preset; torch
            no optimizers             | /api/race   | {"surface":"beale","optimizers":[]}                                        | 400 | optimizers must be an array of 1..8
            too many optimizers       | /api/race   | {"surface":"beale","optimizers":["sgd","sgd","sgd","sgd","sgd","sgd","sgd","sgd","sgd"]} | 400 | 1..8
            optimizer not a string    | /api/race   | {"surface":"beale","optimizers":[{"kind":"adam"}]}                         | 400 | must hold strings
            steps over 10000          | /api/race   | {"surface":"beale","steps":10001,"optimizers":["adam"]}                    | 400 | steps must be an integer in [1, 10000]; 10001
            steps zero                | /api/race   | {"surface":"beale","steps":0,"optimizers":["adam"]}                        | 400 | steps must be an integer
            steps fractional          | /api/race   | {"surface":"beale","steps":2.5,"optimizers":["adam"]}                      | 400 | steps must be an integer
            steps huge                | /api/race   | {"surface":"beale","steps":1e300,"optimizers":["adam"]}                    | 400 | steps must be an integer
            start outside domain      | /api/race   | {"surface":"beale","start":[100,0],"optimizers":["adam"]}                  | 400 | start must lie in the domain; beale; (100, 0)
            start not a pair          | /api/race   | {"surface":"beale","start":[1],"optimizers":["adam"]}                      | 400 | start must be [x, y]
            start not numbers         | /api/race   | {"surface":"beale","start":["a","b"],"optimizers":["adam"]}                | 400 | start must be [x, y]
            unknown field             | /api/race   | {"surface":"beale","optimizers":["adam"],"stepz":3}                        | 400 | field 'stepz'
            export bad format         | /api/export?format=bmp | {"surface":"beale","optimizers":["adam"]}                       | 400 | query must be format=png
            export bad step           | /api/export?format=png | {"surface":"beale","steps":10,"optimizers":["adam"],"step":11}  | 400 | step must be an integer in [0, 10]
            export bad panel          | /api/export?format=png | {"surface":"beale","optimizers":["adam"],"panel":"pie"}         | 400 | panel
            export too wide           | /api/export?format=png | {"surface":"beale","optimizers":["adam"],"width":5000}          | 400 | width must be an integer in [480, 1920]
            sweep without decay knob  | /api/sweep  | {"surface":"beale","optimizer":"sgd","lr":{"from":0.01,"to":1,"n":3},"decay":{"from":0.5,"to":0.9,"n":3}} | 400 | decay
            sweep too much work       | /api/sweep  | {"surface":"beale","steps":10000,"optimizer":"rmsprop","lr":{"from":0.01,"to":1,"n":40},"decay":{"from":0.5,"to":0.9,"n":40}} | 400 | at most 2000000
            sweep axis too long       | /api/sweep  | {"surface":"beale","optimizer":"rmsprop","lr":{"from":0.01,"to":1,"n":41},"decay":{"from":0.5,"to":0.9,"n":3}} | 400 | lr.n must be in [1, 40]
            sweep negative lr         | /api/sweep  | {"surface":"beale","optimizer":"rmsprop","lr":{"from":-1,"to":1,"n":4},"decay":{"from":0.5,"to":0.9,"n":3}} | 400 | > 0
            sweep decay out of range  | /api/sweep  | {"surface":"beale","optimizer":"rmsprop","lr":{"from":0.1,"to":1,"n":4},"decay":{"from":0.5,"to":1,"n":3}} | 400 | decay values must be in [0, 1)
            unknown API path          | /api/nothing | {}                                                                        | 404 | no such API path
            """)
    void refusals(String name, String path, String body, int status, String words) throws Exception {
        Api.Response r = post(path, body == null ? "" : body);
        assertThat(r.status()).as(name).isEqualTo(status);
        String msg = json(r).get("error").asText();
        for (String w : words.split(";")) assertThat(msg).as(name).contains(w.trim());
        assertThat(msg).doesNotContain("at org.", "Exception");
    }

    @Test
    void bodyOver64KiBIsRefusedWith413() throws Exception {
        byte[] big = ("{\"surface\":\"beale\",\"optimizers\":[\"adam\"],\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Api.Response r = api.handle("POST", "/api/race", null, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("at most 65536 bytes");
    }

    @Test
    void wrongMethodsAndUnknownPages() throws Exception {
        assertThat(api.handle("GET", "/api/race", null, new byte[0]).status()).isEqualTo(405);
        assertThat(api.handle("POST", "/api/surfaces", null, new byte[0]).status()).isEqualTo(405);
        assertThat(api.handle("GET", "/nothing.html", null, new byte[0]).status()).isEqualTo(404);
        assertThat(api.handle("GET", "/../pom.xml", null, new byte[0]).status()).isEqualTo(404);
        Api.Response bad = api.handle("GET", "/api/map", "surface=beale&n=9999", new byte[0]);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("n must be an integer in [8, 200]");
    }

    @Test
    void pageAndLibrariesAreServedFromTheClasspath() {
        for (String p : Assets.PATHS.keySet()) {
            Api.Response r = api.handle("GET", p, null, new byte[0]);
            assertThat(r.status()).as(p).isEqualTo(200);
            assertThat(r.body().length).as(p).isGreaterThan(100);
        }
        String page = new String(api.handle("GET", "/", null, new byte[0]).body(), StandardCharsets.UTF_8);
        assertThat(page).doesNotContain("http://", "https://"); // nothing from the network
    }
}

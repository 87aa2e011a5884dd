package org.rmsprop4j.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs; Selenium runs with {@code SE_OFFLINE=true} and never downloads
 * anything). One browser for the class; each test loads the page afresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageBrowserTest {

    static final String CHROMIUM = System.getProperty("playground.chromium", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("playground.chromedriver", "/usr/bin/chromedriver");

    PlaygroundServer server;
    ChromeDriver driver;
    Path downloads;
    Path screens;

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(Paths.get(CHROMIUM)) || !Files.isExecutable(Paths.get(DRIVER))) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
                    + "): apt-get install chromium chromium-driver (.ci/run does)");
        }
        server = PlaygroundServer.start("127.0.0.1", 0);
        downloads = Files.createTempDirectory("playground-downloads");
        screens = Paths.get("target", "playground-screens");
        Files.createDirectories(screens);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1500",
                "--no-first-run", "--disable-extensions", "--disable-background-networking");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        o.setExperimentalOption("prefs", prefs);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(svc, o);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message || e.type)), true);"
                        + "window.addEventListener('unhandledrejection', e => window.__errors.push('unhandled: ' + e.reason));"));
    }

    @AfterAll
    void stop() {
        try {
            if (driver != null) driver.quit();
        } finally {
            if (server != null) server.close();
        }
    }

    @BeforeEach
    void clearLogs() {
        driver.manage().logs().get(LogType.BROWSER); // reading empties the buffer
    }

    static final String BEALE = "#surface=beale&start=1,1.5&steps=300&opt=" + enc("rmsprop:preset=keras,lr=0.01") + "&opt=" + enc("adam:lr=0.05");

    static String enc(String s) { return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"); }

    Object js(String script, Object... args) { return ((JavascriptExecutor) driver).executeScript(script, args); }

    void open(String hash) {
        driver.get("about:blank");
        driver.get(server.url() + hash);
        waitReady(0);
    }

    /** Waits until the page has finished more than {@code racesBefore} races and is idle. */
    void waitReady(long racesBefore) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(js(
                "return !!window.playground && window.playground.ready && window.playground.races > arguments[0];", racesBefore)));
    }

    long races() { return ((Number) js("return window.playground.races;")).longValue(); }

    List<String> severe() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) if (e.getLevel().intValue() >= Level.WARNING.intValue()) out.add(e.getMessage());
        @SuppressWarnings("unchecked") List<Object> pageErrors = (List<Object>) js("return window.__errors || [];");
        for (Object e : pageErrors) out.add(String.valueOf(e));
        return out;
    }

    BufferedImage canvas(String id) throws Exception {
        String url = (String) js("return document.getElementById(arguments[0]).toDataURL('image/png');", id);
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
    }

    static int differing(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y++) {
            for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) n++;
        }
        return n;
    }

    /** Pixels within a small distance of {@code rgb}. */
    static int near(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int dr = ((p >> 16) & 255) - ((rgb >> 16) & 255), dg = ((p >> 8) & 255) - ((rgb >> 8) & 255), db = (p & 255) - (rgb & 255);
                if (dr * dr + dg * dg + db * db < 30 * 30) n++;
            }
        }
        return n;
    }

    void screenshot(String name) throws Exception {
        Files.write(screens.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void pageLoadsWithNoConsoleErrors() throws Exception {
        open("");
        screenshot("default");
        assertThat(severe()).isEmpty();
        assertThat(js("return window.playground.error;")).isNull();
        assertThat(((Number) js("return window.playground.race.runs.length;")).intValue()).isEqualTo(2);
        assertThat(((Number) js("return document.querySelectorAll('#lossChart canvas, #effX canvas, #effY canvas').length;")).intValue()).isGreaterThanOrEqualTo(3);
        assertThat(driver.findElement(By.id("surface")).findElements(By.tagName("option"))).hasSizeGreaterThan(5);
    }

    @Test
    void aRaceRunsAndDraws() throws Exception {
        open(BEALE + "&step=0");
        BufferedImage at0 = canvas("map");
        assertThat(near(at0, 0xd55e00)).as("adam's ball at the start").isGreaterThan(20);
        long before = races();
        driver.findElement(By.id("play")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> ((Number) js("return Number(document.getElementById('scrub').value);")).intValue() >= 60);
        driver.findElement(By.id("play")).click(); // pause
        BufferedImage later = canvas("map");
        screenshot("beale-playing");
        assertThat(differing(at0, later)).as("pixels changed while playing").isGreaterThan(500);
        assertThat(near(later, 0x0072b2)).as("rmsprop's path in blue").isGreaterThan(at0.getWidth() / 20);
        assertThat(races()).isEqualTo(before); // playing draws; it does not recompute
        String inspector = driver.findElement(By.id("inspector")).getText();
        assertThat(inspector).contains("rmsprop-keras", "adam");
        assertThat(severe()).isEmpty();
    }

    @Test
    void theUrlRestoresTheSameRace() throws Exception {
        open(BEALE);
        // change the race through the page: steps, an optimizer's knob, the start (click on the map), the step
        long r0 = races();
        WebElement steps = driver.findElement(By.id("steps"));
        steps.clear();
        steps.sendKeys("150\t");
        waitReady(r0);
        long r1 = races();
        driver.findElements(By.cssSelector(".opt button")).get(0).click(); // knobs of the first optimizer
        WebElement decay = driver.findElement(By.cssSelector(".knobs input[data-key='decay']"));
        decay.sendKeys("0.95\t");
        waitReady(r1);
        long r2 = races();
        WebElement map = driver.findElement(By.id("map"));
        new Actions(driver).moveToElement(map, -60, 40).click().perform();
        waitReady(r2);
        for (int i = 0; i < 7; i++) driver.findElement(By.id("back")).click();
        Thread.sleep(300); // the address is written 50 ms after a change
        String url = driver.getCurrentUrl();
        assertThat(url).contains("steps=150", "decay%3D0.95", "step=143");
        String fingerprint = fingerprint();
        BufferedImage pixels = canvas("map");

        driver.get("about:blank");
        driver.get(url);
        waitReady(0);
        assertThat(fingerprint()).isEqualTo(fingerprint);
        assertThat(differing(canvas("map"), pixels)).as("the same picture").isZero();
        assertThat(driver.getCurrentUrl()).isEqualTo(url);
        assertThat(severe()).isEmpty();
    }

    String fingerprint() {
        return (String) js("const p = window.playground, r = p.race; return JSON.stringify({surface: r.surface, start: r.start, steps: r.steps,"
                + " runs: r.runs.map(x => [x.optimizer, x.x.length, x.loss[x.loss.length - 1]]),"
                + " step: document.getElementById('scrub').value, inspector: document.getElementById('inspector').innerText});");
    }

    @Test
    void exportsDownloadAndParse() throws Exception {
        open(BEALE + "&step=100");
        driver.findElement(By.cssSelector("button.export[data-format='json']")).click();
        Path json = awaitDownload("race-beale.json");
        JsonNode doc = Api.MAPPER.readTree(json.toFile());
        assertThat(doc.get("runs")).hasSize(2);
        assertThat(doc.get("runs").get(1).get("optimizer").asText()).isEqualTo("adam:lr=0.05");
        assertThat(doc.get("runs").get(1).get("loss")).hasSize(301);
        double pageLoss = ((Number) js("return window.playground.race.runs[1].loss[300];")).doubleValue();
        assertThat(doc.get("runs").get(1).get("loss").get(300).asDouble()).isEqualTo(pageLoss);

        driver.findElement(By.cssSelector("button.export[data-format='png']")).click();
        BufferedImage png = ImageIO.read(awaitDownload("race-beale.png").toFile());
        assertThat(png.getWidth()).isEqualTo(960);
        assertThat(png.getHeight()).isEqualTo(640);

        driver.findElement(By.cssSelector("button.export[data-format='csv']")).click();
        List<String> csv = Files.readAllLines(awaitDownload("race-beale.csv"));
        assertThat(csv).hasSize(1 + 2 * 301);
        assertThat(csv.get(0)).startsWith("label,optimizer,step,x,y,loss");
        assertThat(severe()).isEmpty();
    }

    Path awaitDownload(String name) throws Exception {
        Path p = downloads.resolve(name);
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            boolean partial;
            try (Stream<Path> s = Files.list(downloads)) {
                partial = s.anyMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
            }
            if (Files.exists(p) && Files.size(p) > 0 && !partial) return p;
            Thread.sleep(100);
        }
        throw new AssertionError("no download " + name + " in " + downloads + " after 20 s");
    }

    @Test
    void theArticlesNeuronAndASweep() throws Exception {
        open(BEALE);
        long r0 = races();
        driver.findElement(By.id("neuron")).click();
        waitReady(r0);
        assertThat(driver.getCurrentUrl()).contains("surface=sigmoid-neuron", "start=-2,-2");
        assertThat(((Number) js("return window.playground.race.runs.length;")).intValue()).isEqualTo(7);
        screenshot("neuron");
        driver.findElement(By.id("swLr")).clear();
        driver.findElement(By.id("swLr")).sendKeys("1e-3:1:8");
        driver.findElement(By.id("swDecay")).clear();
        driver.findElement(By.id("swDecay")).sendKeys("0.5:0.99:6");
        driver.findElement(By.id("swRun")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(js("return !!window.playground.sweep;")));
        assertThat(driver.findElement(By.id("swStatus")).getText()).startsWith("best: lr");
        screenshot("sweep");
        assertThat(severe()).isEmpty();
    }
}

package org.rmsprop4j.playground;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page and its libraries, read once from the classpath: the page's own files from this
 * module's resources, uPlot and d3 from their webjars (Maven Central). Nothing is fetched from the
 * network, by the server or by the page.
 */
final class Assets {

    /** One file to serve. */
    record Asset(String contentType, byte[] bytes, String cacheControl) {}

    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    static final String D3_ARRAY = "META-INF/resources/webjars/d3-array/3.2.4/dist/";
    static final String D3_CONTOUR = "META-INF/resources/webjars/d3-contour/4.0.2/dist/";
    private static final String WEB = "org/rmsprop4j/playground/web/";

    /** URL path → classpath resource. */
    static final Map<String, String> PATHS = Map.of(
            "/", WEB + "index.html",
            "/index.html", WEB + "index.html",
            "/app.js", WEB + "app.js",
            "/app.css", WEB + "app.css",
            "/lib/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
            "/lib/uPlot.min.css", UPLOT + "uPlot.min.css",
            "/lib/d3-array.min.js", D3_ARRAY + "d3-array.min.js",
            "/lib/d3-contour.min.js", D3_CONTOUR + "d3-contour.min.js");

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** The asset at {@code path}, or null when there is none. */
    Asset get(String path) {
        String res = PATHS.get(path);
        if (res == null) return null;
        return cache.computeIfAbsent(path, p -> load(res));
    }

    private static Asset load(String resource) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource + " (is the webjar on the classpath?)");
            byte[] b = in.readAllBytes();
            String type = resource.endsWith(".html") ? "text/html; charset=utf-8"
                    : resource.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : resource.endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
            return new Asset(type, b, resource.startsWith("META-INF") ? "max-age=86400" : "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.amber.server.monitoring;

import dev.amber.api.error.ApiException;
import dev.amber.server.db.Database;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.http.PlatformEndpoints;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Unauthenticated platform endpoints: liveness, readiness, Prometheus metrics, the OpenAPI document
 * and its browser.
 */
public final class PlatformRoutes implements PlatformEndpoints {

    public static final String OPENAPI_RESOURCE = "/dev/amber/api/openapi.yaml";
    private static final String SWAGGER_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final Set<String> SWAGGER_FILES = Set.of("swagger-ui.css", "swagger-ui-bundle.js");
    private static final String DOCS_PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Amber API</title>
            <link rel="stylesheet" href="/docs/swagger-ui.css"></head>
            <body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
            <script>SwaggerUIBundle({url: "/openapi.yaml", dom_id: "#ui"});</script></body></html>
            """;

    private final Database database;
    private final HostDirectory hosts;
    private final PlatformMetrics metrics;
    private final String swaggerVersion;

    public PlatformRoutes(Database database, HostDirectory hosts, PlatformMetrics metrics) {
        this.database = requireNonNull(database, "database");
        this.hosts = requireNonNull(hosts, "hosts");
        this.metrics = requireNonNull(metrics, "metrics");
        this.swaggerVersion = swaggerVersion();
    }

    @Override
    public void register(io.javalin.config.RoutesConfig routes) {
        routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/ready", this::ready);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.get("/openapi.yaml", ctx -> resource(ctx, OPENAPI_RESOURCE, "application/yaml"));
        routes.get("/docs", ctx -> ctx.html(DOCS_PAGE));
        routes.get("/docs/{file}", ctx -> {
            String file = ctx.pathParam("file");
            if (!SWAGGER_FILES.contains(file)) {
                throw ApiException.notFound("no such documentation file: " + file);
            }
            resource(ctx, "/META-INF/resources/webjars/swagger-ui/" + swaggerVersion + "/" + file,
                    file.endsWith(".css") ? "text/css" : "text/javascript");
        });
    }

    @Override
    public void recordRequest(Context ctx, Float millis) {
        metrics.recordRequest(ctx, millis);
    }

    private void ready(Context ctx) {
        boolean databaseUp = database.isReachable();
        int connectedHosts = hosts.connected().size();
        boolean ready = databaseUp && connectedHosts > 0;
        ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not ready",
                "database", databaseUp ? "up" : "down", "hosts", connectedHosts));
    }

    private static void resource(Context ctx, String name, String contentType) throws IOException {
        InputStream in = PlatformRoutes.class.getResourceAsStream(name);
        if (in == null) {
            throw ApiException.notFound("resource missing from this build: " + name);
        }
        ctx.contentType(contentType).result(in);
    }

    private static String swaggerVersion() {
        try (InputStream in = PlatformRoutes.class.getResourceAsStream(SWAGGER_POM)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "missing");
        } catch (IOException e) {
            return "missing";
        }
    }
}

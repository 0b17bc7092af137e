package dev.amber.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** The endpoints outside /v1 (health, readiness, metrics, documentation), which need no API key. */
public interface PlatformEndpoints {

    /** Registered outside the route table: not part of the /v1 API the OpenAPI document describes. */
    void register(RoutesConfig routes);

    /** Javalin's request logger: sees every finished request with its duration. */
    void recordRequest(Context ctx, Float millis);
}

package dev.amber.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amber.server.monitoring.PlatformRoutes;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** openapi.yaml and the server's /v1 routes must list exactly the same operations. */
class OpenApiContractTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        Set<String> documented = new HashSet<>();
        try (InputStream in = PlatformRoutes.class.getResourceAsStream(PlatformRoutes.OPENAPI_RESOURCE)) {
            JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
            paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (METHODS.contains(operation.getKey()) && path.getKey().startsWith("/v1/")) {
                    documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }));
        }
        Set<String> served;
        try (ServerFixture server = ServerFixture.withoutHosts()) {
            served = server.server().http().routes().stream()
                    .map(route -> route.method().name() + " " + route.path()).collect(Collectors.toSet());
            assertThat(server.call("GET", "/openapi.yaml", null, null).body()).startsWith("openapi: 3");
            assertThat(server.call("GET", "/docs", null, null).body()).contains("swagger-ui-bundle.js");
            assertThat(server.call("GET", "/docs/swagger-ui-bundle.js", null, null).status()).isEqualTo(200);
        }

        assertThat(served).as("routes served but not in openapi.yaml").isSubsetOf(documented);
        assertThat(documented).as("routes in openapi.yaml but not served").isSubsetOf(served);
    }
}

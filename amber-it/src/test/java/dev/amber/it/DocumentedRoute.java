package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One operation of the API's OpenAPI document, as the cross-team test walks it. */
record DocumentedRoute(String method, String path, boolean webSocket, boolean authenticated) {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    /** Every operation the document describes. */
    static List<DocumentedRoute> all() {
        List<DocumentedRoute> routes = new ArrayList<>();
        try (InputStream in = DocumentedRoute.class.getResourceAsStream("/dev/amber/api/openapi.yaml")) {
            JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
            paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (METHODS.contains(operation.getKey())) {
                    JsonNode security = operation.getValue().path("security");
                    routes.add(new DocumentedRoute(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                            operation.getValue().path("responses").has("101"),
                            !(security.isArray() && security.isEmpty())));
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return routes;
    }

    /** The names of the path's parameters, in order. */
    List<String> parameters() {
        List<String> names = new ArrayList<>();
        Matcher matcher = PARAMETER.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The collection the path is under: {@code sandboxes} for {@code /v1/sandboxes/{id}/…}. */
    String collection() {
        String[] segments = path.split("/");
        return segments.length > 2 ? segments[2] : "";
    }

    boolean adminOnly() {
        return collection().equals("admin");
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}

package dev.amber.sdk;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** An immutable query string; every name and value is percent-encoded, absent values are left out. */
final class Query {

    private static final Query EMPTY = new Query(List.of());

    private final List<Parameter> parameters;

    private Query(List<Parameter> parameters) {
        this.parameters = parameters;
    }

    static Query empty() {
        return EMPTY;
    }

    /** This query plus {@code name=value}, or unchanged when {@code value} is null. */
    Query with(String name, Object value) {
        requireNonNull(name, "name");
        if (value == null) {
            return this;
        }
        List<Parameter> more = new ArrayList<>(parameters);
        more.add(new Parameter(name, value.toString()));
        return new Query(List.copyOf(more));
    }

    /** {@code ""} or {@code "?a=1&b=2"}, ready to append to a path. */
    String toQueryString() {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.stream().map(p -> encode(p.name()) + "=" + encode(p.value()))
                .collect(Collectors.joining("&", "?", ""));
    }

    /**
     * RFC 3986 percent-encoding of one URL component. {@link URLEncoder} writes form encoding, whose
     * {@code +} for a space is not a space in a path segment, so spaces become {@code %20}.
     */
    static String encode(String component) {
        return URLEncoder.encode(component, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Parameter(String name, String value) {}
}

package dev.amber.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.server.auth.Caller;
import io.javalin.http.Context;

import java.util.stream.Collectors;

/** Reading what a request carries, turning every malformation into a 400 that says what is wrong. */
public final class Requests {

    static final String CALLER = "amber.caller";

    private final ObjectMapper json;

    public Requests(ObjectMapper json) {
        this.json = json;
    }

    public <T> T body(Context ctx, Class<T> type) {
        return parse(ctx.body(), type);
    }

    /** A JSON object of {@code type} (a request body, a WebSocket message); 400 saying what is wrong with it. */
    public <T> T parse(String body, Class<T> type) {
        if (body.isBlank()) {
            throw ApiException.badRequest("request body is missing: send a JSON object");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("request body must be a JSON object, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field \"" + e.getPropertyName() + "\"; allowed: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(ref -> ref.getFieldName() == null ? "[" + ref.getIndex() + "]"
                    : ref.getFieldName()).collect(Collectors.joining("."));
            throw ApiException.badRequest(field.isEmpty() ? "request body has the wrong shape: expected a JSON object"
                    : "field \"" + field + "\" has the wrong type");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    /** The body, or {@code absent} when the request has none (every field of the type is optional). */
    public <T> T optionalBody(Context ctx, Class<T> type, T absent) {
        return ctx.body().isBlank() ? absent : body(ctx, type);
    }

    public static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /** A required query parameter. */
    public static String query(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("query parameter \"" + name + "\" is required");
        }
        return value;
    }

    /** 0-based page and size from {@code page} and {@code pageSize}, bounded. */
    public static PageRequest page(Context ctx) {
        int page = intQuery(ctx, "page", 0);
        int size = intQuery(ctx, "pageSize", Page.DEFAULT_SIZE);
        if (page < 0) {
            throw ApiException.badRequest("page must be 0 or more");
        }
        if (size < 1 || size > Page.MAX_SIZE) {
            throw ApiException.badRequest("pageSize must be between 1 and " + Page.MAX_SIZE);
        }
        return new PageRequest(page, size);
    }

    public static int intQuery(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter \"" + name + "\" must be a whole number, got \"" + value + "\"");
        }
    }

    public static boolean booleanQuery(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("query parameter \"" + name + "\" must be true or false");
    }

    /** A page of a list: fetch {@code size + 1} rows to know whether another page follows. */
    public record PageRequest(int page, int size) {
        public int offset() {
            return page * size;
        }

        public int limitPlusOne() {
            return size + 1;
        }

        public <T> Page<T> toPage(java.util.List<T> rows) {
            boolean more = rows.size() > size;
            return new Page<>(more ? rows.subList(0, size) : rows, more ? page + 1 : null);
        }
    }
}

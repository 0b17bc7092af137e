package dev.amber.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.error.ErrorCode;
import dev.amber.sdk.error.AmberException;
import dev.amber.sdk.error.AmberTimeoutException;
import dev.amber.sdk.error.BadRequestException;
import dev.amber.sdk.error.ConflictException;
import dev.amber.sdk.error.ForbiddenException;
import dev.amber.sdk.error.NoCapacityException;
import dev.amber.sdk.error.NotFoundException;
import dev.amber.sdk.error.PayloadTooLargeException;
import dev.amber.sdk.error.QuotaExceededException;
import dev.amber.sdk.error.RateLimitedException;
import dev.amber.sdk.error.ServerErrorException;
import dev.amber.sdk.error.SnapshotIncompatibleException;
import dev.amber.sdk.error.UnauthorizedException;
import dev.amber.sdk.error.UnprocessableException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The one place where an error response becomes an exception. The body is read as a JSON tree rather
 * than as {@code ErrorBody}, so that a proxy's HTML page or a newer server's extra fields still give
 * a clear exception instead of a parse failure.
 */
final class ErrorDecoder {

    private static final int SNIPPET_LENGTH = 200;

    private final ObjectMapper json;

    ErrorDecoder(ObjectMapper json) {
        this.json = requireNonNull(json, "json");
    }

    /** The exception for an error response to {@code request} (e.g. {@code "GET /v1/sandboxes"}). */
    AmberException decode(int status, String body, String request) {
        JsonNode error = errorNode(body);
        String code = error.path("code").asText("");
        if (code.isEmpty()) {
            ErrorCode byStatus = byStatus(status);
            return create(byStatus, byStatus.wireName(), status, request + " failed with HTTP " + status + describe(body),
                    Map.of());
        }
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = request + " failed with HTTP " + status + " " + code;
        }
        ErrorCode known = known(code).orElseGet(() -> byStatus(status));
        return create(known, code, status, message, details(error.path("details")));
    }

    /** The exception for an error a stream reported with {@code code} after it was open. */
    AmberException fromStream(String code, String message) {
        ErrorCode known = known(code).orElse(ErrorCode.INTERNAL);
        return create(known, code, known.status(), message, Map.of());
    }

    private JsonNode errorNode(String body) {
        try {
            return json.readTree(body).path("error");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return json.missingNode();
        }
    }

    private Map<String, Object> details(JsonNode details) {
        if (!details.isObject()) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        details.properties().forEach(entry -> values.put(entry.getKey(), json.convertValue(entry.getValue(), Object.class)));
        return values;
    }

    private static AmberException create(ErrorCode kind, String code, int status, String message,
                                         Map<String, Object> details) {
        return switch (kind) {
            case BAD_REQUEST, RANGE_NOT_SATISFIABLE -> new BadRequestException(code, status, message, details);
            case UNAUTHORIZED -> new UnauthorizedException(code, status, message, details);
            case FORBIDDEN -> new ForbiddenException(code, status, message, details);
            case NOT_FOUND -> new NotFoundException(code, status, message, details);
            case CONFLICT, SNAPSHOT_NOT_DURABLE -> new ConflictException(code, status, message, details);
            case SNAPSHOT_INCOMPATIBLE -> new SnapshotIncompatibleException(code, status, message, details);
            case PAYLOAD_TOO_LARGE -> new PayloadTooLargeException(code, status, message, details);
            case UNPROCESSABLE -> new UnprocessableException(code, status, message, details);
            case QUOTA_EXCEEDED -> new QuotaExceededException(code, status, message, details);
            case RATE_LIMITED -> new RateLimitedException(code, status, message, details);
            case NO_CAPACITY -> new NoCapacityException(code, status, message, details);
            case TIMEOUT -> new AmberTimeoutException(code, status, message, details);
            case INTERNAL, BAD_GATEWAY -> new ServerErrorException(code, status, message, details);
        };
    }

    /** Unlike {@link ErrorCode#fromWireName}, says when a code is unknown, so the status can decide. */
    private static Optional<ErrorCode> known(String code) {
        return Arrays.stream(ErrorCode.values()).filter(c -> c.wireName().equals(code)).findFirst();
    }

    private static ErrorCode byStatus(int status) {
        return Arrays.stream(ErrorCode.values()).filter(c -> c.status() == status).findFirst()
                .orElse(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST);
    }

    private static String describe(String body) {
        String text = body.strip();
        if (text.isEmpty()) {
            return " and an empty body";
        }
        String snippet = text.length() > SNIPPET_LENGTH ? text.substring(0, SNIPPET_LENGTH) + "..." : text;
        return " and a body that is not an Amber error: " + snippet.replaceAll("\\s+", " ");
    }
}

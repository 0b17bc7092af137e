package dev.amber.api.error;

import java.util.Map;

/** Every error response: {@code {"error": {"code": "...", "message": "...", "details": {...}}}}. */
public record ErrorBody(Error error) {

    public record Error(String code, String message, Map<String, Object> details) {
        public Error {
            details = details == null ? Map.of() : Map.copyOf(details);
        }
    }

    public static ErrorBody of(ErrorCode code, String message, Map<String, Object> details) {
        return new ErrorBody(new Error(code.wireName(), message, details));
    }
}

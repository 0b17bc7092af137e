package dev.amber.server.http;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorBody;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.host.HostException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import java.util.Map;
import java.util.UUID;

/** The one place where failures become HTTP statuses and error bodies. */
public final class ErrorResponses {

    private static final System.Logger LOG = System.getLogger("amber.http");

    private ErrorResponses() {}

    /** An error whose details carry {@code retryAfterSec} also says it in a {@code Retry-After} header. */
    public static void apiError(ApiException e, Context ctx) {
        Object retryAfter = e.details().get(ApiException.RETRY_AFTER_SEC);
        if (retryAfter != null) {
            ctx.header("Retry-After", retryAfter.toString());
        }
        write(ctx, e.code(), e.getMessage(), e.details());
    }

    /** A host's failure, classified by the host. */
    public static void hostError(HostException e, Context ctx) {
        write(ctx, code(e), e.getMessage(), Map.of());
    }

    /** The API's error code for a host's failure. */
    public static ErrorCode code(HostException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case INVALID -> ErrorCode.BAD_REQUEST;
            case CONFLICT, NOT_RUNNING -> ErrorCode.CONFLICT;
            case NO_SPACE -> ErrorCode.PAYLOAD_TOO_LARGE;
            case TIMEOUT -> ErrorCode.TIMEOUT;
            case UNAVAILABLE -> ErrorCode.NO_CAPACITY;
            case SNAPSHOT_DAMAGED -> ErrorCode.UNPROCESSABLE;
            case SNAPSHOT_INCOMPATIBLE -> ErrorCode.SNAPSHOT_INCOMPATIBLE;
        };
    }

    /** Anything unexpected: logged with an id the caller can quote, never shown raw. */
    public static void unexpected(Exception e, Context ctx) {
        String incident = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "incident " + incident + " on " + ctx.method() + " " + ctx.path(), e);
        write(ctx, ErrorCode.INTERNAL, "internal error; quote incident " + incident, Map.of("incident", incident));
    }

    /** What Javalin itself refuses (no such endpoint, wrong method), in our error shape. */
    public static void frameworkError(HttpResponseException e, Context ctx) {
        ErrorCode code = switch (e.getStatus()) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 409 -> ErrorCode.CONFLICT;
            default -> e.getStatus() < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
        };
        String message = e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path() : e.getMessage();
        ctx.status(e.getStatus()).json(ErrorBody.of(code, message, Map.of()));
    }

    private static void write(Context ctx, ErrorCode code, String message, Map<String, Object> details) {
        ctx.status(code.status()).json(ErrorBody.of(code, message, details));
    }
}

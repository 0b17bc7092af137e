package dev.amber.sdk;

import dev.amber.sdk.error.AmberException;
import dev.amber.sdk.error.BadRequestException;
import dev.amber.sdk.error.ConflictException;
import dev.amber.sdk.error.ForbiddenException;
import dev.amber.sdk.error.NotFoundException;
import dev.amber.sdk.error.ServerErrorException;
import dev.amber.sdk.error.UnauthorizedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorDecoderTest {

    private final ErrorDecoder decoder = new ErrorDecoder(Transport.objectMapper());

    @Test
    void apiErrorBecomesTypedExceptionWithCodeMessageAndDetails() {
        String body = """
                {"error": {"code": "not_found", "message": "sandbox sb-1 not found",
                           "details": {"id": "sb-1", "count": 2, "nothing": null}}}""";

        AmberException e = decoder.decode(404, body, "GET /v1/sandboxes/sb-1");

        assertThat(e).isInstanceOf(NotFoundException.class).hasMessage("sandbox sb-1 not found");
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(e.status()).isEqualTo(404);
        Map<String, Object> expected = new HashMap<>();
        expected.put("id", "sb-1");
        expected.put("count", 2);
        expected.put("nothing", null);
        assertThat(e.details()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "bad_request, 400, dev.amber.sdk.error.BadRequestException",
            "unauthorized, 401, dev.amber.sdk.error.UnauthorizedException",
            "forbidden, 403, dev.amber.sdk.error.ForbiddenException",
            "not_found, 404, dev.amber.sdk.error.NotFoundException",
            "conflict, 409, dev.amber.sdk.error.ConflictException",
            "snapshot_incompatible, 409, dev.amber.sdk.error.SnapshotIncompatibleException",
            "payload_too_large, 413, dev.amber.sdk.error.PayloadTooLargeException",
            "unprocessable, 422, dev.amber.sdk.error.UnprocessableException",
            "internal, 500, dev.amber.sdk.error.ServerErrorException",
            "bad_gateway, 502, dev.amber.sdk.error.ServerErrorException",
            "quota_exceeded, 429, dev.amber.sdk.error.QuotaExceededException",
            "rate_limited, 429, dev.amber.sdk.error.RateLimitedException",
            "no_capacity, 503, dev.amber.sdk.error.NoCapacityException",
            "timeout, 504, dev.amber.sdk.error.AmberTimeoutException",
    })
    void everyApiErrorCodeHasItsOwnException(String code, int status, Class<?> type) {
        String body = "{\"error\": {\"code\": \"" + code + "\", \"message\": \"m\"}}";

        AmberException e = decoder.decode(status, body, "GET /v1/x");

        assertThat(e).isExactlyInstanceOf(type);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.details()).isEmpty();
    }

    @Test
    void codeDecidesOverStatus() {
        AmberException e = decoder.decode(400, "{\"error\": {\"code\": \"conflict\", \"message\": \"m\"}}", "POST /v1/x");

        assertThat(e).isInstanceOf(ConflictException.class);
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void unknownCodeFromNewerServerIsKeptAndTypedByStatus() {
        String body = "{\"error\": {\"code\": \"team_suspended\", \"message\": \"the team is suspended\"}, \"extra\": 1}";

        AmberException e = decoder.decode(403, body, "POST /v1/sandboxes");

        assertThat(e).isInstanceOf(ForbiddenException.class).hasMessage("the team is suspended");
        assertThat(e.code()).isEqualTo("team_suspended");
    }

    @Test
    void nonJsonBodyFromProxyStillGivesClearException() {
        AmberException e = decoder.decode(502, "<html>\n<body>Bad Gateway</body></html>", "GET /v1/sandboxes");

        assertThat(e).isInstanceOf(ServerErrorException.class)
                .hasMessage("GET /v1/sandboxes failed with HTTP 502 and a body that is not an Amber error: "
                        + "<html> <body>Bad Gateway</body></html>");
        assertThat(e.code()).isEqualTo("bad_gateway");
        assertThat(e.status()).isEqualTo(502);
    }

    @Test
    void emptyBodyIsTypedByStatus() {
        AmberException e = decoder.decode(401, "", "GET /v1/teams/me");

        assertThat(e).isInstanceOf(UnauthorizedException.class)
                .hasMessage("GET /v1/teams/me failed with HTTP 401 and an empty body");
        assertThat(e.code()).isEqualTo("unauthorized");
    }

    @Test
    void jsonWithoutErrorObjectIsTypedByStatus() {
        AmberException e = decoder.decode(405, "{\"title\": \"Method Not Allowed\"}", "PATCH /v1/x");

        assertThat(e).isInstanceOf(BadRequestException.class);
        assertThat(e.getMessage()).contains("HTTP 405");
    }

    @Test
    void missingMessageIsReplacedByRequestAndCode() {
        AmberException e = decoder.decode(409, "{\"error\": {\"code\": \"conflict\"}}", "DELETE /v1/sandboxes/sb-1");

        assertThat(e).hasMessage("DELETE /v1/sandboxes/sb-1 failed with HTTP 409 conflict");
    }

    @Test
    void longNonJsonBodyIsShortened() {
        AmberException e = decoder.decode(500, "x".repeat(5000), "GET /v1/x");

        assertThat(e.getMessage()).endsWith("x".repeat(200) + "...");
    }
}

package dev.amber.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A process started through Amber's streams, as the sandbox keeps track of it. {@code state}:
 * running or exited; the exit fields are null while it runs. {@code signal}: the signal Amber sent
 * that ended it (a signal call, a timeout), if one did.
 */
public record ProcessView(
        long pid,
        List<String> cmd,
        @JsonInclude(JsonInclude.Include.NON_NULL) String tag,
        boolean terminal,
        boolean background,
        String state,
        Instant startedAt,
        Integer exitCode,
        Integer signal,
        Boolean timedOut) {}

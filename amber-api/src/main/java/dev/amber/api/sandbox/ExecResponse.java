package dev.amber.api.sandbox;

/** A finished process. */
public record ExecResponse(int exitCode, String stdout, String stderr, long durationMs, boolean timedOut) {}

package dev.amber.api.sandbox;

/** {@code POST /v1/sandboxes/{id}/processes/{pid}/signal}: a name (TERM, SIGINT...) or a number (1-64). */
public record SignalRequest(String signal) {}

package dev.amber.api.snapshot;

/** {@code POST /v1/snapshots/{idOrName}/patches}: a shell script, run as root in each sandbox based on the snapshot. */
public record CreatePatchRequest(String script) {}

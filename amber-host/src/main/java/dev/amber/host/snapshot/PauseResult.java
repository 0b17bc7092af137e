package dev.amber.host.snapshot;

import java.time.Duration;

/** A finished pause: how long it took and how many bytes of state were written. */
public record PauseResult(Duration took, long stateBytes) {}

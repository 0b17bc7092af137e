package dev.amber.host.sandbox;

import java.time.Duration;

/** A finished pause: how long it took and how many bytes of state were written. */
public record PauseResult(Duration took, long stateBytes) {}

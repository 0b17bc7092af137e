package dev.amber.api.template;

import java.time.Instant;

/** A piece of a build's log: {@code stream} system (what the build did), stdout or stderr of {@code step}. */
public record BuildLogLine(long seq, Integer step, String stream, String text, Instant at) {}

package dev.amber.api.metrics;

import java.util.List;

/** A sandbox's resource use over {@code range} ("10m", "2h" or "24h"), one point per {@code intervalMs}, oldest first. */
public record SandboxMetrics(String range, long intervalMs, List<MetricPoint> points) {}

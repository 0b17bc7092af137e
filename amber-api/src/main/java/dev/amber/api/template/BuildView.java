package dev.amber.api.template;

import java.time.Instant;
import java.util.List;

/**
 * A build of a template. {@code status}: queued, running, succeeded, failed ({@code error} says
 * why) or cancelled. {@code stepsDone} of {@code steps.size()} have ended.
 */
public record BuildView(String buildId, String templateId, String templateName, String status, String error,
                        List<BuildStepView> steps, int stepsDone, int attempts, Instant createdAt, Instant startedAt,
                        Instant finishedAt) {}

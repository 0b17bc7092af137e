package dev.amber.server.template;

import dev.amber.api.template.BuildStepView;

import java.util.Locale;

/**
 * Where a build step stands; {@code cached}: its layer was reused from an earlier build,
 * {@code skipped}: an earlier step failed or the build was cancelled. The API's step views carry
 * the wire name.
 */
enum StepStatus {
    PENDING,
    RUNNING,
    DONE,
    CACHED,
    FAILED,
    SKIPPED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StepStatus of(BuildStepView step) {
        return valueOf(step.status().toUpperCase(Locale.ROOT));
    }

    /** Whether a step in this status has ended (the build's count of done steps). */
    boolean ended() {
        return this != PENDING && this != RUNNING;
    }
}

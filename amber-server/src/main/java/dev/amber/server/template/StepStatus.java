package dev.amber.server.template;

import dev.amber.api.template.BuildStepView;
import dev.amber.server.WireName;

/**
 * Where a build step stands; {@code cached}: its layer was reused from an earlier build,
 * {@code skipped}: an earlier step failed or the build was cancelled. The API's step views carry
 * the wire name.
 */
enum StepStatus implements WireName {
    PENDING,
    RUNNING,
    DONE,
    CACHED,
    FAILED,
    SKIPPED;

    static StepStatus of(BuildStepView step) {
        return WireName.fromWireName(StepStatus.class, step.status());
    }

    /** Whether a step in this status has ended (the build's count of done steps). */
    boolean ended() {
        return this != PENDING && this != RUNNING;
    }
}

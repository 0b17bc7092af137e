package dev.amber.server.template;

import dev.amber.api.template.BuildStepView;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A running build's steps and their statuses, recorded in the build's row at every change. */
final class BuildProgress {

    private final BuildRepository builds;
    private final UUID buildId;
    private final List<BuildStepView> steps;
    private final long[] started;
    private Integer current;

    BuildProgress(BuildRepository builds, BuildRecord build) {
        this.builds = builds;
        this.buildId = build.id();
        this.steps = new ArrayList<>(RecipeChecker.pendingSteps(build.recipe()));
        this.started = new long[steps.size()];
        builds.updateSteps(buildId, steps);
    }

    /** The steps as they stand. */
    List<BuildStepView> steps() {
        return steps;
    }

    /** The step running now, if any: where a failure's log line goes. */
    Integer current() {
        return current;
    }

    void cachedUpTo(int index) {
        for (int i = 0; i <= index; i++) {
            set(i, StepStatus.CACHED, 0L);
        }
        if (index >= 0) {
            builds.log(buildId, null, "system", "steps 0-" + index + " cached\n");
        }
        builds.updateSteps(buildId, steps);
    }

    void running(int index) {
        current = index;
        started[index] = System.nanoTime();
        set(index, StepStatus.RUNNING, null);
        builds.updateSteps(buildId, steps);
        builds.log(buildId, index, "system", "step " + index + " " + steps.get(index).type() + ": "
                + steps.get(index).summary() + "\n");
    }

    void done(int index) {
        set(index, StepStatus.DONE, elapsedMs(index));
        current = null;
        builds.updateSteps(buildId, steps);
    }

    /** The running step failed (or was cancelled: skipped), and every pending one is skipped. */
    void stopped(boolean cancelled) {
        for (int i = 0; i < steps.size(); i++) {
            switch (StepStatus.of(steps.get(i))) {
                case RUNNING -> set(i, cancelled ? StepStatus.SKIPPED : StepStatus.FAILED, elapsedMs(i));
                case PENDING -> set(i, StepStatus.SKIPPED, null);
                case DONE, CACHED, FAILED, SKIPPED -> { }
            }
        }
    }

    private void set(int index, StepStatus status, Long durationMs) {
        steps.set(index, steps.get(index).withStatus(status.wireName(), durationMs));
    }

    private long elapsedMs(int index) {
        return (System.nanoTime() - started[index]) / 1_000_000;
    }
}

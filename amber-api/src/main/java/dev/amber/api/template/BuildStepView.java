package dev.amber.api.template;

/**
 * One step of a build. {@code status}: pending, running, done, cached (its layer was reused from an
 * earlier build), failed or skipped (an earlier step failed, or the build was cancelled).
 * {@code index} 0 is the first recipe step; the last entry is the {@code ready} step (readyCmd and
 * the final snapshot).
 */
public record BuildStepView(int index, String type, String summary, String status, Long durationMs) {

    public BuildStepView withStatus(String newStatus, Long newDurationMs) {
        return new BuildStepView(index, type, summary, newStatus, newDurationMs);
    }
}

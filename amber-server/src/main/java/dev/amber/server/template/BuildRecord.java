package dev.amber.server.template;

import dev.amber.api.template.BuildStepView;
import dev.amber.api.template.BuildView;
import dev.amber.server.Ids;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A build as stored: its recipe, where it stands, and the builder sandbox it runs in (while it runs). */
public record BuildRecord(UUID id, UUID teamId, UUID templateId, String templateName, BuildStatus status,
                          String error,
                          Recipe recipe, List<BuildStepView> steps, int attempts, boolean cancelRequested,
                          UUID builderId, OffsetDateTime createdAt, OffsetDateTime startedAt,
                          OffsetDateTime finishedAt) {

    public BuildView view() {
        int done = (int) steps.stream().filter(step -> StepStatus.of(step).ended()).count();
        return new BuildView(Ids.BUILD.format(id), Ids.TEMPLATE.format(templateId), templateName, status.wireName(),
                error, steps,
                done, attempts, createdAt.toInstant(), startedAt == null ? null : startedAt.toInstant(),
                finishedAt == null ? null : finishedAt.toInstant());
    }

    public boolean finished() {
        return status.finished();
    }
}

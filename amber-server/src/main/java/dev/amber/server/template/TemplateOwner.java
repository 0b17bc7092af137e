package dev.amber.server.template;

import dev.amber.server.Ids;
import dev.amber.server.auth.Caller;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Whose a template is: a team's own, or the platform team's. Other teams see a platform template
 * only when it is published (built with {@code platform: true}); the rest of the platform team's
 * templates are its own, like any team's.
 */
record TemplateOwner(UUID teamId, boolean published) {

    TemplateOwner {
        requireNonNull(teamId, "teamId");
        if (published && !Ids.PLATFORM_TEAM.equals(teamId)) {
            throw new IllegalArgumentException("only the platform team publishes templates");
        }
    }

    /** The platform's, published, when an admin asks for {@code platform}; otherwise the caller's team's own. */
    static TemplateOwner of(Caller caller, boolean platform) {
        return platform ? new TemplateOwner(Ids.PLATFORM_TEAM, true) : new TemplateOwner(caller.teamId(), false);
    }
}

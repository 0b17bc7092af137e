package dev.amber.server.template;

import dev.amber.api.Page;
import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.template.BuildLogLine;
import dev.amber.api.template.BuildView;
import dev.amber.api.template.CreateTemplateRequest;
import dev.amber.api.template.TemplateView;
import dev.amber.server.Ids;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.auth.Caller;
import dev.amber.server.http.Requests.PageRequest;
import dev.amber.server.sandbox.FreedStorage;
import dev.amber.server.template.TemplateRepository.Template;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Templates and their builds for API callers: a build request is checked and queued (the workers
 * run it); templates are listed, read and deleted with the platform's rules: published platform
 * templates are every team's to use and only admins' to change.
 */
public final class TemplateService {

    private final TemplateRepository templates;
    private final BuildRepository builds;
    private final RecipeChecker checker;
    private final BuildWorkers workers;
    private final ImageRelease images;
    private final FreedStorage freed;
    private final AuditLog audit;

    TemplateService(TemplateRepository templates, BuildRepository builds, RecipeChecker checker, BuildWorkers workers,
                    ImageRelease images, FreedStorage freed, AuditLog audit) {
        this.freed = requireNonNull(freed, "freed");
        this.images = requireNonNull(images, "images");
        this.templates = requireNonNull(templates, "templates");
        this.builds = requireNonNull(builds, "builds");
        this.checker = requireNonNull(checker, "checker");
        this.workers = requireNonNull(workers, "workers");
        this.audit = requireNonNull(audit, "audit");
    }

    /**
     * Queues a build of the caller's template or, for an admin asking for {@code platform}, of the
     * platform's published one. An admin's other templates are the platform team's own: no other
     * team sees them; a rebuild publishes or withdraws a platform template as it asks.
     */
    public BuildView build(Caller caller, CreateTemplateRequest request) {
        String name = RecipeChecker.checkName(request.name());
        boolean platform = Boolean.TRUE.equals(request.platform());
        if (platform) {
            Authenticator.requireAdmin(caller);
        }
        if (request.image() != null && !caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "importing an image reads a file on the server's host: "
                    + "only a platform admin can");
        }
        TemplateOwner owner = TemplateOwner.of(caller, platform);
        String fromName = Objects.requireNonNullElse(request.from(), TemplateRepository.DEFAULT_TEMPLATE);
        if (fromName.equals(name)) {
            throw ApiException.badRequest("a template cannot start from itself");
        }
        Template from = templates.findVisible(owner.teamId(), fromName)
                .orElseThrow(() -> ApiException.unprocessable("unknown template \"" + fromName + "\" in from"));
        if (from.state() != TemplateState.READY && from.snapshotId() == null && from.imageId() == null) {
            throw ApiException.conflict("template \"" + fromName + "\" in from has not been built ("
                    + from.state().wireName() + "); build it first");
        }
        Recipe recipe = checker.check(request, from);
        UUID buildId = UUID.randomUUID();
        Template template = builds.queue(templates, buildId, owner, name, recipe).orElseThrow(() ->
                ApiException.conflict("template \"" + name + "\" is being built already ("
                        + templates.findOwned(owner.teamId(), name).flatMap(existing -> builds.inProgress(existing.id()))
                                .map(Ids.BUILD::format).orElse("a build") + "); wait for it or cancel it"));
        audit.record(caller, "template.build", Ids.TEMPLATE.format(template.id()), "queued",
                Map.of("name", name, "build", Ids.BUILD.format(buildId), "steps", recipe.steps().size()));
        workers.wake();
        return requireBuild(caller, Ids.BUILD.format(buildId)).view();
    }

    public Page<TemplateView> list(Caller caller, PageRequest page) {
        return page.toPage(templates.list(caller.teamId(), page.offset(), page.limitPlusOne()).stream()
                .map(template -> template.viewFor(caller.teamId())).toList());
    }

    /** Every team's templates, for admins. */
    public Page<TemplateView> listAll(Caller caller, PageRequest page) {
        Authenticator.requireAdmin(caller);
        return page.toPage(templates.list(null, page.offset(), page.limitPlusOne()).stream().map(Template::view).toList());
    }

    public TemplateView get(Caller caller, String name) {
        return require(caller, name).viewFor(caller.teamId());
    }

    /**
     * Deletes a template, whatever runs from it: 403 for a platform template unless the caller is an
     * admin, 409 while a build of it runs. Its name is free at once; its snapshot is hidden and its
     * image kept while sandboxes use them, and both go with the last user. Its other layers stay in
     * the build cache.
     */
    public void delete(Caller caller, String name) {
        Template template = require(caller, name);
        if (template.isPlatform() && !caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "template \"" + name + "\" is a platform template; "
                    + "only a platform admin can delete it");
        }
        builds.inProgress(template.id()).ifPresent(build -> {
            throw ApiException.conflict("template \"" + name + "\" is being built (" + Ids.BUILD.format(build)
                    + "); cancel the build first");
        });
        templates.delete(template.id(), template.snapshotId());
        images.releaseImageOf(template);
        audit.record(caller, "template.delete", Ids.TEMPLATE.format(template.id()), "ok", Map.of("name", name));
        freed.collect();
    }

    /** A build of the caller's team (any build, for an admin); 404 otherwise. */
    public BuildRecord requireBuild(Caller caller, String buildId) {
        return Ids.BUILD.parse(buildId)
                .flatMap(id -> builds.findVisible(caller.admin() ? null : caller.teamId(), id))
                .orElseThrow(() -> ApiException.notFound("no build " + buildId));
    }

    public Page<BuildView> builds(Caller caller, PageRequest page) {
        return page.toPage(builds.list(caller.teamId(), page.offset(), page.limitPlusOne()).stream()
                .map(BuildRecord::view).toList());
    }

    /** Every team's builds, for admins. */
    public Page<BuildView> buildsOfAll(Caller caller, PageRequest page) {
        Authenticator.requireAdmin(caller);
        return page.toPage(builds.list(null, page.offset(), page.limitPlusOne()).stream().map(BuildRecord::view).toList());
    }

    /** The build's log after {@code afterSeq}. */
    public List<BuildLogLine> logs(BuildRecord build, long afterSeq, int limit) {
        return builds.logs(build.id(), afterSeq, limit);
    }

    /** The build as it is now (to see whether it has ended). */
    public BuildRecord refresh(BuildRecord build) {
        return builds.find(build.id()).orElse(build);
    }

    /** Cancels a queued build at once and a running one at its next step; 409 for one that has ended. */
    public BuildView cancel(Caller caller, String buildId) {
        BuildRecord build = requireBuild(caller, buildId);
        if (build.teamId().equals(Ids.PLATFORM_TEAM)) {
            Authenticator.requireAdmin(caller);
        }
        if (!builds.requestCancel(build.id())) {
            throw ApiException.conflict("build " + buildId + " has ended already (" + refresh(build).status().wireName() + ")");
        }
        BuildRecord now = refresh(build);
        if (now.status() == BuildStatus.CANCELLED) {
            templates.buildFailed(build.templateId(), "its first build was cancelled");
        }
        audit.record(caller, "build.cancel", buildId, "ok", Map.of());
        return now.view();
    }

    private Template require(Caller caller, String name) {
        return templates.findVisible(caller.teamId(), name)
                .orElseThrow(() -> ApiException.notFound("no template \"" + name + "\""));
    }
}

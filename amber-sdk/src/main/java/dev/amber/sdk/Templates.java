package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.api.template.BuildView;
import dev.amber.api.template.CreateTemplateRequest;
import dev.amber.api.template.TemplateStep;
import dev.amber.api.template.TemplateView;

import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Templates the team can start sandboxes from (its own and the platform's), and builds of them from
 * recipes. A sandbox starts from one with {@link Sandboxes#fromTemplate(String)}.
 */
public final class Templates {

    private final Transport transport;

    Templates(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    /** Queues a build of the recipe; {@link Build#await(java.time.Duration)} waits for its end. */
    public Build build(CreateTemplateRequest recipe) {
        return new Build(transport, transport.post(Endpoints.TEMPLATES, requireNonNull(recipe, "recipe"),
                BuildView.class, transport.options().requestTimeout()));
    }

    /** Queues a build of a snapshot template {@code name} from the base template: {@code steps}, then {@code readyCmd} (may be null). */
    public Build build(String name, List<TemplateStep> steps, String readyCmd) {
        return build(CreateTemplateRequest.builder(name).steps(steps).readyCmd(readyCmd).build());
    }

    /**
     * Queues a build of template {@code name} as {@code recipe} sets it on a
     * {@link CreateTemplateRequest.Builder}, e.g.
     * {@code build("web", recipe -> recipe.step(TemplateStep.run("pip install flask")).readyCmd("curl -sf localhost:8000"))}.
     *
     * @throws IllegalStateException when {@code recipe} set two sources
     */
    public Build build(String name, Consumer<CreateTemplateRequest.Builder> recipe) {
        CreateTemplateRequest.Builder builder = CreateTemplateRequest.builder(name);
        requireNonNull(recipe, "recipe").accept(builder);
        return build(builder.build());
    }

    public TemplateView get(String name) {
        return transport.get(Endpoints.template(name), Query.empty(), TemplateView.class);
    }

    /** Every template the team can use, all pages. */
    public List<TemplateView> list() {
        Query query = Query.empty().with("pageSize", Page.MAX_SIZE);
        return Pages.all(page -> transport.getPage(Endpoints.TEMPLATES, query.with("page", page), TemplateView.class));
    }

    /** A build by id, e.g. one started elsewhere. */
    public Build buildOf(String buildId) {
        return new Build(transport, transport.get(Endpoints.build(buildId), Query.empty(),
                BuildView.class));
    }

    /** Deletes a template; a {@link dev.amber.sdk.error.ConflictException} while sandboxes use it or a build makes it. */
    public void delete(String name) {
        transport.delete(Endpoints.template(name), Query.empty());
    }
}

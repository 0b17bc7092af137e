package dev.amber.server.template;

import dev.amber.api.error.ApiException;
import dev.amber.api.template.BuildStepView;
import dev.amber.api.template.CreateTemplateRequest;
import dev.amber.api.template.TemplateStep;
import dev.amber.server.sandbox.SandboxLimits;
import dev.amber.server.template.TemplateRepository.Template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Turns a template request into a {@link Recipe}, refusing what cannot be built with a 400 that names the field. */
final class RecipeChecker {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern IMAGE_URI = Pattern.compile("(oci-archive|docker-archive):/[^:\\x00]+(:[A-Za-z0-9._/@:-]+)?");
    private static final int MAX_STEPS = 100;
    /** What copy steps may carry in all, decoded: the recipe travels in one request and one row. */
    private static final int MAX_COPY_BYTES = 8 << 20;
    private static final int DEFAULT_READY_TIMEOUT_SEC = 120;
    private static final int MAX_READY_TIMEOUT_SEC = 3600;
    private static final int SUMMARY_CHARS = 80;

    private final SandboxLimits limits;

    RecipeChecker(SandboxLimits limits) {
        this.limits = limits;
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name must be 1-63 characters of a-z, 0-9, '.', '_' and '-', starting with "
                    + "a letter or digit; got " + (name == null ? "none" : "\"" + name + "\""));
        }
        return name;
    }

    /** The recipe of {@code request}, which starts from template {@code from}. */
    Recipe check(CreateTemplateRequest request, Template from) {
        String imageUri = imageUri(request);
        TemplateKind kind = kind(request, imageUri);
        if (imageUri != null && (kind != TemplateKind.IMAGE || request.from() != null
                || (request.steps() != null && !request.steps().isEmpty()) || request.readyCmd() != null)) {
            throw ApiException.badRequest("an imported image makes an image template by itself: leave out from, steps, "
                    + "readyCmd and kind, and build on the imported template with another recipe");
        }
        if (kind == TemplateKind.IMAGE && request.readyCmd() != null) {
            throw ApiException.badRequest("readyCmd is for kind \"snapshot\": an image template keeps its disk, "
                    + "not its running processes");
        }
        List<TemplateStep> wireSteps = Objects.requireNonNullElse(request.steps(), List.of());
        if (wireSteps.size() > MAX_STEPS) {
            throw ApiException.badRequest("a recipe has at most " + MAX_STEPS + " steps, got " + wireSteps.size());
        }
        List<RecipeStep> steps = new ArrayList<>();
        long copied = 0;
        for (int i = 0; i < wireSteps.size(); i++) {
            RecipeStep step = checkStep(i, wireSteps.get(i));
            steps.add(step);
            copied += step instanceof RecipeStep.Copy copy ? copy.content().length : 0;
        }
        if (copied > MAX_COPY_BYTES) {
            throw ApiException.badRequest("copy steps carry at most " + MAX_COPY_BYTES + " bytes in all, got " + copied);
        }
        int readyTimeout = Objects.requireNonNullElse(request.readyTimeoutSec(), DEFAULT_READY_TIMEOUT_SEC);
        if (readyTimeout < 1 || readyTimeout > MAX_READY_TIMEOUT_SEC) {
            throw ApiException.badRequest("readyTimeoutSec must be between 1 and " + MAX_READY_TIMEOUT_SEC
                    + ", got " + readyTimeout);
        }
        if (request.readyCmd() != null && request.readyCmd().isBlank()) {
            throw ApiException.badRequest("readyCmd must not be blank; leave it out when nothing needs to be waited for");
        }
        int vcpus;
        int memoryMb;
        long diskSizeMb;
        if (from.snapshotId() != null) {
            fromTemplate("vcpus", request.vcpus(), from.vcpus(), from);
            fromTemplate("memoryMb", request.memoryMb(), from.memoryMb(), from);
            fromTemplate("diskSizeMb", request.diskSizeMb(), from.diskSizeMb(), from);
            vcpus = from.vcpus();
            memoryMb = from.memoryMb();
            diskSizeMb = from.diskSizeMb();
        } else {
            vcpus = Objects.requireNonNullElse(request.vcpus(), from.vcpus());
            memoryMb = Objects.requireNonNullElse(request.memoryMb(), from.memoryMb());
            long fromDisk = from.imageId() == null ? SandboxLimits.DEFAULT_DISK_MB : from.diskSizeMb();
            diskSizeMb = Objects.requireNonNullElse(request.diskSizeMb(), fromDisk);
            limits.check(vcpus, memoryMb, diskSizeMb, 0);
            if (from.imageId() != null && diskSizeMb < from.diskSizeMb()) {
                throw ApiException.badRequest("diskSizeMb must be at least " + from.diskSizeMb() + " (the size of "
                        + "template \"" + from.name() + "\"'s image), got " + diskSizeMb);
            }
        }
        return new Recipe(from.name(), steps, request.readyCmd(), readyTimeout, kind, vcpus, memoryMb, diskSizeMb,
                imageUri);
    }

    /** The kind asked for; without one, image for an import, else snapshot. */
    private static TemplateKind kind(CreateTemplateRequest request, String imageUri) {
        if (request.kind() == null) {
            return imageUri == null ? TemplateKind.SNAPSHOT : TemplateKind.IMAGE;
        }
        return Arrays.stream(TemplateKind.values()).filter(kind -> kind.wireName().equals(request.kind())).findFirst()
                .orElseThrow(() -> ApiException.badRequest("kind must be \"snapshot\" or \"image\", got \""
                        + request.kind() + "\""));
    }

    /** The archive {@code image.uri} names, checked; null without {@code image}. */
    static String imageUri(CreateTemplateRequest request) {
        if (request.image() == null) {
            return null;
        }
        if (!(request.image().get("uri") instanceof String uri) || !IMAGE_URI.matcher(uri).matches()
                || uri.contains("/../") || uri.contains("/./")) {
            throw ApiException.badRequest("image.uri must be oci-archive:/absolute/path or docker-archive:/absolute/path"
                    + " (an archive on the server's host)");
        }
        return uri;
    }

    /** The steps of a new build, all pending: the recipe's, then the ready step (readyCmd and the final snapshot). */
    static List<BuildStepView> pendingSteps(Recipe recipe) {
        List<BuildStepView> views = new ArrayList<>();
        for (int i = 0; i < recipe.steps().size(); i++) {
            RecipeStep step = recipe.steps().get(i);
            views.add(new BuildStepView(i, step.type(), summary(step), StepStatus.PENDING.wireName(), null));
        }
        String last = recipe.imageUri() != null ? "import " + recipe.imageUri()
                : recipe.kind() == TemplateKind.IMAGE ? "flatten the disk into an image"
                : recipe.readyCmd() == null ? "snapshot" : shorten(recipe.readyCmd());
        views.add(new BuildStepView(recipe.steps().size(), "ready", last, StepStatus.PENDING.wireName(), null));
        return views;
    }

    /** Checks one wire step; returns it as the step it stands for. */
    private static RecipeStep checkStep(int index, TemplateStep step) {
        String at = "steps[" + index + "]";
        if (step == null || step.type() == null) {
            throw ApiException.badRequest(at + ": type is required (run, copy, env, workdir or user)");
        }
        return switch (step.type()) {
            case "run" -> {
                if (step.cmd() == null || step.cmd().isBlank()) {
                    throw ApiException.badRequest(at + ": a run step needs cmd, a shell command");
                }
                yield new RecipeStep.Run(step.cmd());
            }
            case "copy" -> checkCopy(at, step);
            case "env" -> {
                if (step.env() == null || step.env().isEmpty()) {
                    throw ApiException.badRequest(at + ": an env step needs env, a map of names to values");
                }
                for (Map.Entry<String, String> entry : step.env().entrySet()) {
                    if (!ENV_NAME.matcher(entry.getKey()).matches() || entry.getValue() == null
                            || entry.getValue().indexOf('\0') >= 0) {
                        throw ApiException.badRequest(at + ": env names are letters, digits and '_' (not first a "
                                + "digit), values non-null without NUL; got \"" + entry.getKey() + "\"");
                    }
                }
                yield new RecipeStep.Env(step.env());
            }
            case "workdir" -> new RecipeStep.Workdir(requireAbsolute(at, step.path()));
            case "user" -> {
                if (step.user() == null || !USER.matcher(step.user()).matches()) {
                    throw ApiException.badRequest(at + ": a user step needs user, an account name");
                }
                yield new RecipeStep.User(step.user());
            }
            default -> throw ApiException.badRequest(at + ": unknown type \"" + step.type()
                    + "\"; one of run, copy, env, workdir, user");
        };
    }

    private static RecipeStep.Copy checkCopy(String at, TemplateStep step) {
        String path = requireAbsolute(at, step.path());
        if (step.content() == null) {
            throw ApiException.badRequest(at + ": a copy step needs content, base64");
        }
        if (step.mode() != null && (step.mode() < 0 || step.mode() > 07777)) {
            throw ApiException.badRequest(at + ": mode must be between 0 and 07777 (4095)");
        }
        try {
            Base64.getDecoder().decode(step.content());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(at + ": content is not base64: " + e.getMessage());
        }
        return new RecipeStep.Copy(path, step.content(),
                step.mode() == null ? OptionalInt.empty() : OptionalInt.of(step.mode()));
    }

    private static String requireAbsolute(String at, String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw ApiException.badRequest(at + ": path must be absolute");
        }
        return path;
    }

    private static void fromTemplate(String field, Number requested, long templateValue, Template from) {
        if (requested != null && requested.longValue() != templateValue) {
            throw ApiException.badRequest(field + " comes from template \"" + from.name() + "\" (" + templateValue
                    + "); leave it out");
        }
    }

    private static String summary(RecipeStep step) {
        return switch (step) {
            case RecipeStep.Run run -> shorten(run.cmd());
            case RecipeStep.Copy copy -> copy.path();
            case RecipeStep.Env env -> String.join(", ", env.env().keySet());
            case RecipeStep.Workdir workdir -> workdir.path();
            case RecipeStep.User user -> user.user();
        };
    }

    private static String shorten(String text) {
        return text.length() <= SUMMARY_CHARS ? text : text.substring(0, SUMMARY_CHARS - 1) + "…";
    }
}

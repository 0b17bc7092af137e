package dev.amber.server.template;

import dev.amber.api.template.TemplateStep;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * One checked step of a recipe. {@link RecipeChecker} makes them from the wire's {@link TemplateStep}s;
 * {@link #toWire()} gives the wire form back exactly (layer cache keys and stored recipes are its JSON).
 */
sealed interface RecipeStep {

    /** The step's wire {@code type}: run, copy, env, workdir or user. */
    default String type() {
        return toWire().type();
    }

    /** The step as the API spells it, field for field what the request gave. */
    default TemplateStep toWire() {
        return switch (this) {
            case Run run -> TemplateStep.run(run.cmd());
            case Copy copy -> TemplateStep.copy(copy.path(), copy.base64Content(),
                    copy.mode().isPresent() ? copy.mode().getAsInt() : null);
            case Env env -> TemplateStep.env(env.env());
            case Workdir workdir -> TemplateStep.workdir(workdir.path());
            case User user -> TemplateStep.user(user.user());
        };
    }

    /** Whether the step changes the machine (and so leaves a layer): run and copy do; env, workdir, user don't. */
    default boolean changesMachine() {
        return switch (this) {
            case Run run -> true;
            case Copy copy -> true;
            case Env env -> false;
            case Workdir workdir -> false;
            case User user -> false;
        };
    }

    /**
     * The step a stored wire step stands for; it was checked when its recipe was. A type this
     * server does not know is a corrupt row.
     */
    static RecipeStep fromWire(TemplateStep step) {
        return switch (step.type()) {
            case "run" -> new Run(step.cmd());
            case "copy" -> new Copy(step.path(), step.content(),
                    step.mode() == null ? OptionalInt.empty() : OptionalInt.of(step.mode()));
            case "env" -> new Env(step.env());
            case "workdir" -> new Workdir(step.path());
            case "user" -> new User(step.user());
            default -> throw new IllegalArgumentException("unknown step type \"" + step.type() + "\"");
        };
    }

    /** {@code cmd}, a shell command run as the current user in the current directory. */
    record Run(String cmd) implements RecipeStep {
        public Run {
            requireNonNull(cmd, "cmd");
        }
    }

    /**
     * A file written to {@code path}: the content is kept as the request's base64 text, so the wire
     * form (and the layer keys hashed from it) stays byte for byte what was asked. No mode: 0644.
     */
    record Copy(String path, String base64Content, OptionalInt mode) implements RecipeStep {
        static final int DEFAULT_MODE = 0644;

        public Copy {
            requireNonNull(path, "path");
            requireNonNull(base64Content, "base64Content");
            requireNonNull(mode, "mode");
        }

        byte[] content() {
            return Base64.getDecoder().decode(base64Content);
        }
    }

    /** Variables added to the environment of later steps, in the request's order (the layer keys hash it). */
    record Env(Map<String, String> env) implements RecipeStep {
        public Env {
            env = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(env, "env")));
        }
    }

    /** The directory later steps run in. */
    record Workdir(String path) implements RecipeStep {
        public Workdir {
            requireNonNull(path, "path");
        }
    }

    /** The account later steps run as. */
    record User(String user) implements RecipeStep {
        public User {
            requireNonNull(user, "user");
        }
    }
}

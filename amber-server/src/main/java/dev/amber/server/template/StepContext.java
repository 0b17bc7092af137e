package dev.amber.server.template;

import dev.amber.api.sandbox.ExecRequest;

import java.util.HashMap;
import java.util.Map;

/** What env, workdir and user steps set for the steps after them. */
final class StepContext {

    private final Map<String, String> env = new HashMap<>();
    private String workdir;
    private String user;

    void apply(RecipeStep step) {
        switch (step) {
            case RecipeStep.Env set -> env.putAll(set.env());
            case RecipeStep.Workdir set -> workdir = set.path();
            case RecipeStep.User set -> user = set.user();
            case RecipeStep.Run run -> { }
            case RecipeStep.Copy copy -> { }
        }
    }

    /** {@code shell} run in the context the steps so far have set. */
    ExecRequest exec(String shell, int timeoutSec) {
        return new ExecRequest(null, shell, Map.copyOf(env), workdir, user, null, timeoutSec, null, null, null);
    }
}

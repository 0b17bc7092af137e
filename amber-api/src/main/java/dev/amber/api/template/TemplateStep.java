package dev.amber.api.template;

import java.util.Map;

/**
 * One step of a template recipe, by {@code type}:
 * <ul>
 * <li>{@code run}: {@code cmd}, a shell command, run as the current user in the current directory
 *     with the environment so far; a non-zero exit fails the build</li>
 * <li>{@code copy}: {@code content} (base64) written to {@code path}, with {@code mode} (default 0644)</li>
 * <li>{@code env}: {@code env} added to the environment of later steps</li>
 * <li>{@code workdir}: {@code path}, the directory later steps run in</li>
 * <li>{@code user}: {@code user}, the account later steps run as</li>
 * </ul>
 */
public record TemplateStep(String type, String cmd, String path, String content, Integer mode, Map<String, String> env,
                           String user) {

    public static TemplateStep run(String cmd) {
        return new TemplateStep("run", cmd, null, null, null, null, null);
    }

    public static TemplateStep copy(String path, String base64Content, Integer mode) {
        return new TemplateStep("copy", null, path, base64Content, mode, null, null);
    }

    public static TemplateStep env(Map<String, String> env) {
        return new TemplateStep("env", null, null, null, null, env, null);
    }

    public static TemplateStep workdir(String path) {
        return new TemplateStep("workdir", null, path, null, null, null, null);
    }

    public static TemplateStep user(String user) {
        return new TemplateStep("user", null, null, null, null, null, user);
    }
}

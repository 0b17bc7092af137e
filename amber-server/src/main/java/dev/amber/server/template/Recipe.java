package dev.amber.server.template;

import dev.amber.api.template.TemplateStep;

import java.util.List;

/**
 * A checked recipe: the template it starts from, its steps, what tells that its processes are
 * ready, and the machine it runs on (from the {@code from} template, or as asked for); or an image
 * archive to import ({@code imageUri}, with no steps).
 */
public record Recipe(String from, List<TemplateStep> steps, String readyCmd, int readyTimeoutSec, String kind, int vcpus,
                     int memoryMb, long diskSizeMb, String imageUri) {

    public static final String KIND_SNAPSHOT = "snapshot";
    public static final String KIND_IMAGE = "image";

    public Recipe {
        steps = List.copyOf(steps);
    }

    /** Whether step {@code index} changes the machine (and so leaves a layer): run and copy do; env, workdir, user don't. */
    boolean changesMachine(int index) {
        String type = steps.get(index).type();
        return type.equals("run") || type.equals("copy");
    }
}

package dev.amber.server.template;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.amber.api.template.TemplateStep;
import dev.amber.server.WireName;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A checked recipe: the template it starts from, its steps, what tells that its processes are
 * ready, and the machine it runs on (from the {@code from} template, or as asked for); or an image
 * archive to import ({@code imageUri}, with no steps). Stored as JSON in its wire form
 * ({@link Stored}), which older rows and the layer cache keys share.
 */
public record Recipe(String from, List<RecipeStep> steps, String readyCmd, int readyTimeoutSec, TemplateKind kind,
                     int vcpus, int memoryMb, long diskSizeMb, String imageUri) {

    public Recipe {
        steps = List.copyOf(steps);
        requireNonNull(kind, "kind");
    }

    /** The JSON form of a recipe in the builds' and templates' rows: steps and kind as the API spells them. */
    record Stored(String from, List<TemplateStep> steps, String readyCmd, int readyTimeoutSec, String kind, int vcpus,
                  int memoryMb, long diskSizeMb, String imageUri) {}

    @JsonValue
    Stored stored() {
        return new Stored(from, steps.stream().map(RecipeStep::toWire).toList(), readyCmd, readyTimeoutSec,
                kind.wireName(), vcpus, memoryMb, diskSizeMb, imageUri);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Recipe fromStored(Stored stored) {
        return new Recipe(stored.from(), stored.steps().stream().map(RecipeStep::fromWire).toList(), stored.readyCmd(),
                stored.readyTimeoutSec(), WireName.fromWireName(TemplateKind.class, stored.kind()), stored.vcpus(),
                stored.memoryMb(), stored.diskSizeMb(), stored.imageUri());
    }
}

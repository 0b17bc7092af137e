package dev.amber.server.template;

import dev.amber.server.http.Json;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Layer cache keys are stored in {@code build_layers}: the same recipe must hash to the same keys
 * in every release, or every team's cache goes cold. The expected keys were computed by the code
 * that hashed the wire steps directly, before recipes had typed steps.
 */
class LayerKeysTest {

    private static final String ROOT = "11111111-1111-1111-1111-111111111111@22222222-2222-2222-2222-222222222222";

    @Test
    void keysOfAKnownRecipeStayWhatEarlierReleasesComputed() {
        Jdbi unused = Jdbi.create("jdbc:postgresql://localhost:1/unused");
        LayerCache cache = new LayerCache(unused, new BuildRepository(unused, Json.mapper(), UUID.randomUUID()));

        List<String> keys = cache.keys(ROOT, knownRecipe());

        assertEquals(List.of(
                "5f6f7a948c4f4807a05601d53004062b56d8e565ea20848165341b4dd3e1ec0d",
                "25eb099032e268384f69cb7b5431f5b800ecdc3c23180eff20b0f6b093db4d04",
                "1e2c77ac95a6cacb2c47b78164603580e78d020f7a3df4084299e6352e2450b2",
                "cee019d9e042d92c419b4bc42cf0105ceacfd4c35b20ae90185ae40cd7cc1cd9",
                "604e79884f3ff06f8a1144accc573f0fa570aa5315829e5cf71686cc6ca543a6",
                "bcbbed8c07a87a3b27a8a446abb878f3f780b13aa9f06c6b56571a700045755b",
                "1ea76437841c38aea34aff727e5b878d6607ff782fabfb0d27409f0af59c914f",
                "7eee2f14be5ac9fe822459a1d92d0606fd2a92ee29b5f5a674b1bbd6810a3f8b",
                "af25cb347275e29957de71a0756b620b5c9c2188cc85a5e43dbf31a5b070018c"), keys);
    }

    /** Every kind of step, a copy with and one without a mode, and an env whose order is not alphabetical. */
    static Recipe knownRecipe() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("ZED", "last-first");
        ordered.put("ALPHA", "1");
        return new Recipe("base", List.of(
                new RecipeStep.Run("apt-get install -y curl"),
                new RecipeStep.Copy("/etc/motd", "aGVsbG8K", OptionalInt.of(0600)),
                new RecipeStep.Copy("/srv/app.txt", "d29ybGQ=", OptionalInt.empty()),
                new RecipeStep.Env(Map.of("PORT", "8080")),
                new RecipeStep.Env(ordered),
                new RecipeStep.Workdir("/srv"),
                new RecipeStep.User("nobody"),
                new RecipeStep.Run("python3 -m http.server $PORT &")),
                "curl -sf localhost:8080", 120, TemplateKind.SNAPSHOT, 2, 1024, 4096, null);
    }
}

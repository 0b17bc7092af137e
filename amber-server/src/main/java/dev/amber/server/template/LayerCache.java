package dev.amber.server.template;

import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The layers earlier builds left, by key: a step's key hashes its parent's key with the step's
 * content, so two recipes that begin alike share the layers of their common beginning. Per team
 * (a layer holds the team's files); a layer whose snapshot is deleted (or hidden) drops out with it.
 */
final class LayerCache {

    private final Jdbi jdbi;
    private final BuildRepository builds;

    LayerCache(Jdbi jdbi, BuildRepository builds) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.builds = requireNonNull(builds, "builds");
    }

    /**
     * The key after each step of {@code recipe}, then the key of its finished state (after
     * readyCmd); {@code root} names what the first step starts from.
     */
    List<String> keys(String root, Recipe recipe) {
        List<String> keys = new ArrayList<>();
        String parent = hash("from " + root + " " + recipe.vcpus() + "/" + recipe.memoryMb() + "/" + recipe.diskSizeMb());
        for (RecipeStep step : recipe.steps()) {
            parent = hash(parent + "\n" + builds.write(step.toWire()));
            keys.add(parent);
        }
        keys.add(hash(parent + "\nready " + recipe.readyCmd()));
        return keys;
    }

    /** The ready layer of that key, if an earlier build left one. */
    Optional<UUID> find(UUID teamId, String key) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select l.snapshot_id from build_layers l join snapshots s on s.id = l.snapshot_id
                        where l.team_id = :team and l.key = :key and s.state = 'ready' and not s.hidden""")
                .bind("team", teamId).bind("key", key).mapTo(UUID.class).findOne());
    }

    void put(UUID teamId, String key, UUID snapshotId) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        insert into build_layers (team_id, key, snapshot_id) values (:team, :key, :snapshot)
                        on conflict (team_id, key) do update set snapshot_id = excluded.snapshot_id""")
                .bind("team", teamId).bind("key", key).bind("snapshot", snapshotId).execute());
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.amber.store;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** The manifests in the bucket, one per saved state: {@code manifests/<kind>/<id>.json}. */
public final class Manifests {

    static final String FOLDER = "manifests/";
    private static final String SUFFIX = ".json";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;

    public Manifests(ObjectStore store) {
        this.store = requireNonNull(store, "store");
    }

    static String key(StateKind kind, String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid id for a stored state: " + id);
        }
        return FOLDER + kind.folder() + "/" + id + SUFFIX;
    }

    void put(StoredManifest manifest) throws StoreException {
        try {
            store.put(key(manifest.kind(), manifest.id()), JSON.writeValueAsBytes(manifest));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a manifest always serializes", e);
        }
    }

    /** The manifest of a saved state, or empty when the store has none. */
    public Optional<StoredManifest> get(StateKind kind, String id) throws StoreException {
        Optional<byte[]> bytes = store.get(key(kind, id));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parse(bytes.get(), kind + " " + id));
    }

    /** Removes the manifest (its chunks go at the next collection, if nothing else needs them). */
    public void delete(StateKind kind, String id) throws StoreException {
        store.delete(key(kind, id));
    }

    /** Every manifest in the store. */
    public List<StoredManifest> all() throws StoreException {
        List<StoredManifest> manifests = new ArrayList<>();
        for (StoredObject object : store.list(FOLDER)) {
            if (object.key().endsWith(SUFFIX)) {
                byte[] bytes = store.get(object.key()).orElse(null);
                if (bytes != null) { // deleted since the listing
                    manifests.add(parse(bytes, object.key()));
                }
            }
        }
        return manifests;
    }

    private static StoredManifest parse(byte[] bytes, String what) throws StoreDamagedException {
        StoredManifest manifest;
        try {
            manifest = JSON.readValue(bytes, StoredManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreDamagedException("the stored manifest of " + what + " is unreadable: " + e.getMessage());
        }
        if (manifest.format() != StoredManifest.FORMAT) {
            throw new StoreDamagedException("the stored manifest of " + what + " has format " + manifest.format()
                    + "; this version reads format " + StoredManifest.FORMAT);
        }
        return manifest;
    }
}

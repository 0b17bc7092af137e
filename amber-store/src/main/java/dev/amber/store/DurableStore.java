package dev.amber.store;

import java.time.Clock;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Amber's object storage, opened once per process from {@link StoreSettings}: the manifests, an
 * uploader and a downloader that share one view of which chunks are stored, and the collector.
 */
public final class DurableStore implements AutoCloseable {

    /** No chunk younger than this is collected; an upload trusts a chunk it saw stored for as long. */
    public static final Duration GRACE = Duration.ofHours(1);

    private final ObjectStore objects;
    private final Manifests manifests;
    private final StateUploader uploader;
    private final StateDownloader downloader;
    private final ChunkCollector collector;

    private DurableStore(ObjectStore objects, Duration grace, Clock clock) {
        this.objects = objects;
        this.manifests = new Manifests(objects);
        Chunks chunks = new Chunks(objects, grace, clock);
        this.uploader = new StateUploader(chunks, manifests, objects.settings());
        this.downloader = new StateDownloader(chunks, objects.settings());
        this.collector = new ChunkCollector(objects, manifests, grace, clock);
    }

    public static DurableStore open(StoreSettings settings) {
        return open(settings, GRACE, Clock.systemUTC());
    }

    /** A store whose collection grace is {@code grace} (tests and benchmarks collect at once). */
    public static DurableStore open(StoreSettings settings, Duration grace, Clock clock) {
        return new DurableStore(ObjectStore.open(requireNonNull(settings, "settings")), grace, clock);
    }

    public StoreSettings settings() {
        return objects.settings();
    }

    public Manifests manifests() {
        return manifests;
    }

    public StateUploader uploader() {
        return uploader;
    }

    public StateDownloader downloader() {
        return downloader;
    }

    public ChunkCollector collector() {
        return collector;
    }

    /** The raw bucket, for what the durable layer does not cover (tests that damage a chunk, say). */
    public ObjectStore objects() {
        return objects;
    }

    @Override
    public void close() {
        objects.close();
    }
}

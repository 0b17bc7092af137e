package dev.amber.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Storing, fetching, sharing and collecting saved states against a real S3-compatible server. */
class DurableStoreTest {

    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    private static LocalS3 s3;
    private static DurableStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = LocalS3.start(Files.createDirectories(dir.resolve("s3")));
        store = DurableStore.open(s3.settings("amber/", 4, 0), Duration.ZERO, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        s3.close();
    }

    @Test
    void aStoredFileComesBackByteForByteWithItsZeroPagesAsHoles() throws IOException {
        Path memory = file("memory-a", 8, 3, 1);
        UploadReport report = store.uploader().upload(StateKind.SNAPSHOT, "snap-roundtrip",
                List.of(new LocalFile("memory", memory)), Map.of("host", "a"));

        assertThat(report.chunks()).isEqualTo(9);
        assertThat(report.zeroChunks()).isEqualTo(5);
        assertThat(report.storedBytes()).isEqualTo(3L * MIB + 1000);

        StoredManifest manifest = store.manifests().get(StateKind.SNAPSHOT, "snap-roundtrip").orElseThrow();
        assertThat(manifest.labels()).containsEntry("host", "a");
        Path restored = dir.resolve("restored/memory");
        store.downloader().fetch(manifest.files().getFirst(), restored, "snapshot snap-roundtrip");

        assertThat(Files.mismatch(memory, restored)).isEqualTo(-1);
        long allocated = allocatedBytes(restored);
        assertThat(allocated).as("zero chunks are holes").isLessThan(5L * MIB);
    }

    @Test
    void aSecondStateOfTheSameBaseSendsOnlyWhatDiffers() throws IOException {
        Path first = file("base-1", 20, 20, 7);
        Path second = dir.resolve("base-2");
        Files.copy(first, second);
        overwrite(second, 5L * MIB, 42);

        store.uploader().upload(StateKind.SNAPSHOT, "snap-base-1", List.of(new LocalFile("memory", first)), Map.of());
        UploadReport again = store.uploader().upload(StateKind.SNAPSHOT, "snap-base-2",
                List.of(new LocalFile("memory", second)), Map.of());

        assertThat(again.newChunks()).isEqualTo(1);
        assertThat(again.uploadedBytes()).isEqualTo(MIB);
    }

    @Test
    void aMissingOrCorruptChunkIsRefusedAndNothingIsLeftBehind() throws IOException {
        Path memory = file("damaged", 3, 3, 11);
        store.uploader().upload(StateKind.PAUSED_SANDBOX, "sb-damaged", List.of(new LocalFile("saved.state", memory)),
                Map.of());
        FileRecipe recipe = store.manifests().get(StateKind.PAUSED_SANDBOX, "sb-damaged").orElseThrow().files().getFirst();
        String victim = recipe.chunks().get(1);
        Path target = dir.resolve("damaged-restore/saved.state");

        store.objects().put(Chunks.key(victim), new byte[MIB]);
        assertThatThrownBy(() -> store.downloader().fetch(recipe, target, "paused sandbox sb-damaged"))
                .isInstanceOf(StoreDamagedException.class)
                .hasMessageContaining("paused sandbox sb-damaged").hasMessageContaining(victim)
                .hasMessageContaining("corrupt");
        assertThat(target.getParent()).isEmptyDirectory();

        store.objects().delete(Chunks.key(victim));
        assertThat(store.collector().audit()).contains(new ChunkCollector.Damage(StateKind.PAUSED_SANDBOX, "sb-damaged", 1));
        assertThatThrownBy(() -> store.downloader().fetch(recipe, target, "paused sandbox sb-damaged"))
                .isInstanceOf(StoreDamagedException.class).hasMessageContaining("missing");
        assertThat(target.getParent()).isEmptyDirectory();
        store.manifests().delete(StateKind.PAUSED_SANDBOX, "sb-damaged");
    }

    @Test
    void collectionFreesOnlyChunksNoManifestNames() throws IOException {
        Path shared = file("shared", 4, 4, 21);
        Path own = file("own", 2, 2, 22);
        store.uploader().upload(StateKind.SNAPSHOT, "snap-keep", List.of(new LocalFile("memory", shared)), Map.of());
        store.uploader().upload(StateKind.SNAPSHOT, "snap-drop",
                List.of(new LocalFile("memory", shared), new LocalFile("disk.qcow2", own)), Map.of());

        store.manifests().delete(StateKind.SNAPSHOT, "snap-drop");
        ChunkCollector.Collection collection = store.collector().collect();

        assertThat(collection.deleted()).isGreaterThanOrEqualTo(2);
        StoredManifest kept = store.manifests().get(StateKind.SNAPSHOT, "snap-keep").orElseThrow();
        Path restored = dir.resolve("kept/memory");
        store.downloader().fetch(kept.files().getFirst(), restored, "snapshot snap-keep");
        assertThat(Files.mismatch(shared, restored)).isEqualTo(-1);
        assertThat(store.collector().audit()).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironmentAndBadOnesAreNamed() {
        assertThat(StoreSettings.fromEnvironment(Map.of())).isEmpty();
        StoreSettings settings = StoreSettings.fromEnvironment(Map.of("AMBER_S3_BUCKET", "snaps",
                "AMBER_S3_ENDPOINT", "http://127.0.0.1:9000", "AMBER_S3_ACCESS_KEY", "a", "AMBER_S3_SECRET_KEY", "b",
                "AMBER_S3_PREFIX", "team/amber")).orElseThrow();
        assertThat(settings.prefix()).isEqualTo("team/amber/");
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.toString()).doesNotContain("b]").doesNotContain("secret");

        assertThatThrownBy(() -> StoreSettings.fromEnvironment(Map.of("AMBER_S3_BUCKET", "Bad_Bucket",
                "AMBER_S3_PREFIX", "../up", "AMBER_S3_PARALLELISM", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AMBER_S3_BUCKET 'Bad_Bucket'")
                .hasMessageContaining("AMBER_S3_ENDPOINT is not set")
                .hasMessageContaining("AMBER_S3_ACCESS_KEY")
                .hasMessageContaining("AMBER_S3_PREFIX")
                .hasMessageContaining("AMBER_S3_PARALLELISM must be a whole number");
    }

    /** A file of {@code mib} MiB plus 1000 bytes whose first {@code randomMib} MiB are random (the rest zero). */
    private static Path file(String name, int mib, int randomMib, long seed) throws IOException {
        Path file = dir.resolve(name);
        byte[] bytes = new byte[mib * MIB + 1000];
        Random random = new Random(seed);
        byte[] noise = new byte[randomMib * MIB];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, bytes, 0, noise.length);
        bytes[bytes.length - 1] = 1;
        Files.write(file, bytes);
        return file;
    }

    private static long allocatedBytes(Path file) throws IOException {
        Process du = new ProcessBuilder("du", "--block-size=1", file.toString()).start();
        String output = new String(du.getInputStream().readAllBytes()).trim();
        return Long.parseLong(output.split("\\s+")[0]);
    }

    private static void overwrite(Path file, long offset, long seed) throws IOException {
        byte[] noise = new byte[100];
        new Random(seed).nextBytes(noise);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(noise);
        }
    }
}

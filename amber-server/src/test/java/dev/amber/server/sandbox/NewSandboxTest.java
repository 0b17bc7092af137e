package dev.amber.server.sandbox;

import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.server.host.SavedPlatform;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NewSandboxTest {

    private static final UUID HOST = UUID.randomUUID();

    /** A saved machine as the snapshot side hands it over. */
    private record Saved(UUID id, String wireId, UUID hostId, int vcpus, int memoryMb, long diskSizeMb, boolean durable,
                         Optional<SavedPlatform> platform) implements RestorePoint {}

    private static final Saved CHECKPOINT = new Saved(UUID.randomUUID(), "snap-1", HOST, 4, 2048, 8192, false,
            Optional.empty());
    private static final Source BASE = new Source.Template(UUID.randomUUID(), "base", new Resources(2, 1024, 5120));

    @Test
    void aNewSandboxNeedsASource() {
        assertThrows(NullPointerException.class, () -> NewSandbox.builder(null));
    }

    @Test
    void whatIsNotSetHasTheApiDefaults() {
        NewSandbox sandbox = NewSandbox.builder(BASE).build();

        assertEquals(new NewSandbox(BASE, SandboxLimits.DEFAULT_TIMEOUT_SEC, true, true, Map.of(), Map.of(),
                NetworkSettings.DEFAULT, Optional.empty()), sandbox);
    }

    @Test
    void settingsAreTakenAsGiven() {
        NewSandbox sandbox = NewSandbox.builder(BASE).timeoutSec(0).autoPause(false).autoResume(false)
                .env(Map.of("A", "1")).metadata(Map.of("k", "v")).pinnedHost(HOST).build();

        assertEquals(0, sandbox.timeoutSec());
        assertEquals(false, sandbox.autoPause());
        assertEquals(false, sandbox.autoResume());
        assertEquals(Map.of("A", "1"), sandbox.env());
        assertEquals(Map.of("k", "v"), sandbox.metadata());
        assertEquals(Optional.of(HOST), sandbox.pinnedHost());
    }

    @Test
    void aRestoredSandboxHasTheResourcesAndHostItWasSavedWith() {
        NewSandbox fork = NewSandbox.builder(new Source.Checkpoint(CHECKPOINT)).build();

        assertEquals(new Resources(4, 2048, 8192), fork.resources());
        assertEquals(Optional.of(HOST), fork.source().host());
        Saved durable = new Saved(UUID.randomUUID(), "snap-2", HOST, 4, 2048, 8192, true, Optional.empty());
        assertEquals(Optional.empty(), new Source.Snapshot(durable).host(), "a durable snapshot binds to no host");
        assertEquals(Optional.of(CHECKPOINT), fork.source().restorePoint());
        assertEquals("snap-1", fork.source().name());
    }

    @Test
    void aSnapshotTemplateIsRestoredButNamedAfterTheTemplate() {
        Source source = new Source.TemplateSnapshot(UUID.randomUUID(), "app", CHECKPOINT);

        assertEquals("app", source.name());
        assertEquals(CHECKPOINT.resources(), source.resources());
        assertEquals(Optional.of(HOST), source.host());
    }

    @Test
    void aTemplateWithoutADiskOfItsOwnIsBootedOnAnyHost() {
        assertEquals(Optional.empty(), BASE.host());
        assertEquals(Optional.empty(), BASE.restorePoint());
    }

    @Test
    void anImageTemplateBootsOnTheHostOfItsImage() {
        Source image = new Source.Image(UUID.randomUUID(), "debian", UUID.randomUUID(), HOST, new Resources(1, 512, 10240));

        assertEquals(Optional.of(HOST), image.host());
        assertEquals(Optional.empty(), image.restorePoint());
    }

    @Test
    void anImageTemplateNeedsItsImageAndHost() {
        assertThrows(NullPointerException.class, () -> new Source.Image(UUID.randomUUID(), "debian", null, HOST,
                new Resources(1, 512, 10240)));
        assertThrows(NullPointerException.class, () -> new Source.Image(UUID.randomUUID(), "debian", UUID.randomUUID(),
                null, new Resources(1, 512, 10240)));
    }
}

package dev.amber.server.sandbox;

import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What a new sandbox's machine starts from. A template boots the guest image or the template's own
 * image; anything saved (a template's final layer, a snapshot, a checkpoint) is restored on the
 * host that holds it, with the resources it was saved with.
 */
public sealed interface Source {

    /** What the audit log names as the source: a template's name or a snapshot's id. */
    String name();

    Resources resources();

    /**
     * The host the source lives on, if it binds the sandbox to one; otherwise the sandbox is placed
     * (a durable snapshot binds to no host: any host fetches it from the object store, and placement
     * prefers the one that has it).
     */
    default Optional<UUID> host() {
        return switch (this) {
            case Template template -> Optional.empty();
            case Image image -> Optional.of(image.hostId());
            case Restored restored -> restored.saved().durable() ? Optional.empty() : Optional.of(restored.saved().hostId());
        };
    }

    /** The saved machine the sandbox is restored from, if it is restored rather than booted. */
    default Optional<RestorePoint> restorePoint() {
        return this instanceof Restored restored ? Optional.of(restored.saved()) : Optional.empty();
    }

    /** A template without a disk of its own (such as {@code base}): starts from the guest image, on any host. */
    record Template(UUID templateId, String name, Resources resources) implements Source {
        public Template {
            requireNonNull(templateId, "templateId");
            requireNonNull(name, "name");
            requireNonNull(resources, "resources");
        }
    }

    /** An image template: boots the template's image, on the host that holds it. */
    record Image(UUID templateId, String name, UUID imageId, UUID hostId, Resources resources) implements Source {
        public Image {
            requireNonNull(templateId, "templateId");
            requireNonNull(name, "name");
            requireNonNull(imageId, "imageId");
            requireNonNull(hostId, "hostId");
            requireNonNull(resources, "resources");
        }
    }

    /** A saved machine restored, with the resources it was saved with; named by its id unless said otherwise. */
    sealed interface Restored extends Source {

        RestorePoint saved();

        @Override
        default String name() {
            return saved().wireId();
        }

        @Override
        default Resources resources() {
            return saved().resources();
        }
    }

    /** A snapshot template: restores the template's final layer, and is named after the template. */
    record TemplateSnapshot(UUID templateId, String name, RestorePoint saved) implements Restored {
        public TemplateSnapshot {
            requireNonNull(templateId, "templateId");
            requireNonNull(name, "name");
            requireNonNull(saved, "saved");
        }
    }

    /** A snapshot (named, or a template build's layer) restored by id. */
    record Snapshot(RestorePoint saved) implements Restored {
        public Snapshot {
            requireNonNull(saved, "saved");
        }
    }

    /** A checkpoint of a running sandbox, restored as one copy of a fork. */
    record Checkpoint(RestorePoint saved) implements Restored {
        public Checkpoint {
            requireNonNull(saved, "saved");
        }
    }
}

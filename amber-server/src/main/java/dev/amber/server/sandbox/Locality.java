package dev.amber.server.sandbox;

import dev.amber.server.host.BaseSize;
import dev.amber.server.host.HostView;

import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Which hosts already hold what a new sandbox starts from, so that starting there copies nothing:
 * placement prefers them (a source whose files are on one host only is not a preference but a
 * requirement: {@link PlacementRequest#holder()}).
 */
public sealed interface Locality {

    /** Whether {@code host} holds the source. */
    boolean at(HostView host);

    /** Held by no host: every host starts it alike (a paused state fetched from the object store). */
    Locality NOWHERE = new HeldBy(Set.of());

    /** A sandbox of the default template: hosts with a base snapshot of its size restore that instead of booting. */
    static Locality of(Source source) {
        return switch (source) {
            case Source.Template template ->
                    new BaseSnapshot(new BaseSize(template.resources().vcpus(), template.resources().memoryMb()));
            case Source.Image image -> new HeldBy(Set.of(image.hostId()));
            case Source.Restored restored -> new HeldBy(Set.of(restored.saved().hostId()));
        };
    }

    /** Hosts with a base snapshot of this machine size. */
    record BaseSnapshot(BaseSize size) implements Locality {
        public BaseSnapshot {
            requireNonNull(size, "size");
        }

        @Override
        public boolean at(HostView host) {
            return host.bases().contains(size);
        }
    }

    /** The hosts that hold a snapshot's or template's files. */
    record HeldBy(Set<UUID> hosts) implements Locality {
        public HeldBy {
            hosts = Set.copyOf(hosts);
        }

        @Override
        public boolean at(HostView host) {
            return hosts.contains(host.id());
        }
    }
}

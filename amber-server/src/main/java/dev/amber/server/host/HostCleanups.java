package dev.amber.server.host;

import dev.amber.server.Ids;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Removes files from hosts for objects whose rows are going away (a deleted team's sandboxes,
 * snapshots and images): at once on a reachable host, else recorded in {@code host_cleanups} and
 * done when that host registers again. Every removal may be repeated (unknown ids are no error).
 */
public final class HostCleanups {

    /** What a host removes: a sandbox (its VM and files), a snapshot's files, a template image. */
    public enum Kind {
        SANDBOX, SNAPSHOT, IMAGE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final System.Logger LOG = System.getLogger("amber.hosts");

    private final Jdbi jdbi;
    private final HostDirectory hosts;

    public HostCleanups(Jdbi jdbi, HostDirectory hosts) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.hosts = requireNonNull(hosts, "hosts");
    }

    /**
     * Removes {@code objectId} from host {@code hostId} now, or records it for when the host is back
     * (unreachable, or it became so during the call).
     *
     * @throws HostException the reachable host failed otherwise: nothing is recorded
     */
    public void removeOrRecord(UUID hostId, Kind kind, String objectId) throws HostException {
        requireNonNull(hostId, "hostId");
        var client = hosts.client(hostId);
        if (client.isPresent()) {
            try {
                remove(client.get(), kind, objectId);
                return;
            } catch (HostException e) {
                if (e.kind() != HostException.Kind.UNAVAILABLE) {
                    throw e;
                }
            }
        }
        jdbi.useHandle(handle -> handle.createUpdate("""
                        insert into host_cleanups (host_id, kind, object_id) values (:host, :kind, :object)
                        on conflict do nothing""")
                .bind("host", hostId).bind("kind", kind.wireName()).bind("object", objectId).execute());
        LOG.log(System.Logger.Level.INFO, "host {0} is away: {1} {2} is removed when it registers again",
                Ids.HOST.format(hostId), kind.wireName(), objectId);
    }

    /** Does what host {@code hostId} owes (it just registered); what fails stays for its next registration. */
    public void runPending(UUID hostId, HostClient client) {
        List<Pending> pending = jdbi.withHandle(handle -> handle.createQuery(
                        "select kind, object_id from host_cleanups where host_id = :host order by created_at")
                .bind("host", hostId)
                .map((rs, ctx) -> new Pending(Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                        rs.getString("object_id")))
                .list());
        for (Pending cleanup : pending) {
            try {
                remove(client, cleanup.kind(), cleanup.objectId());
            } catch (HostException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "host {0} could not remove {1} {2}; trying at its next "
                        + "registration: {3}", Ids.HOST.format(hostId), cleanup.kind().wireName(), cleanup.objectId(),
                        e.getMessage());
                continue;
            }
            jdbi.useHandle(handle -> handle.createUpdate(
                            "delete from host_cleanups where host_id = :host and kind = :kind and object_id = :object")
                    .bind("host", hostId).bind("kind", cleanup.kind().wireName()).bind("object", cleanup.objectId())
                    .execute());
            LOG.log(System.Logger.Level.INFO, "host {0} removed {1} {2}, owed since it was away",
                    Ids.HOST.format(hostId), cleanup.kind().wireName(), cleanup.objectId());
        }
    }

    private static void remove(HostClient client, Kind kind, String objectId) throws HostException {
        switch (kind) {
            case SANDBOX -> client.sandboxes().destroy(objectId);
            case SNAPSHOT -> client.snapshots().delete(objectId);
            case IMAGE -> client.snapshots().deleteImage(objectId);
        }
    }

    private record Pending(Kind kind, String objectId) {}

    /** Hosts removed with the team that brought them: no more calls go to them. */
    public void disconnect(List<UUID> hostIds) {
        hostIds.forEach(hosts::removed);
    }
}

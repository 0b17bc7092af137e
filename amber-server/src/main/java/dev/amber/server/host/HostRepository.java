package dev.amber.server.host;

import dev.amber.api.host.HostView;
import dev.amber.server.Ids;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Hosts as the database knows them. */
public final class HostRepository {

    private final Jdbi jdbi;

    public HostRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /**
     * The id of platform host {@code name}, recorded first if new (its address is known when it
     * registers): for the host `amber up` runs itself, which needs no join token. The id stays the
     * same across restarts.
     */
    public UUID ensure(String name) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        insert into hosts (id, name, address, state) values (:id, :name, '', 'unreachable')
                        on conflict (name) do update set name = excluded.name
                        returning id""")
                .bind("id", UUID.randomUUID()).bind("name", name)
                .mapTo(UUID.class).one());
    }

    /** Refreshes host {@code id} as it registers; false when there is no such host. */
    public boolean update(UUID id, String address, HostClient.HostFacts facts) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update hosts set address = :address, state = 'ready', accelerator = :accelerator,
                            accelerator_reason = :reason, last_seen_at = now()
                        where id = :id""")
                .bind("id", id).bind("address", address)
                .bind("accelerator", facts.accelerator()).bind("reason", facts.acceleratorReason())
                .execute()) == 1;
    }

    public void setState(UUID id, String state) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update hosts set state = :state, last_seen_at = case when :state = 'ready' then now() else last_seen_at end where id = :id")
                .bind("id", id).bind("state", state).execute());
    }

    public List<HostView> list() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select h.id, h.name, h.state, h.accelerator, h.accelerator_reason, h.last_seen_at,
                               (select count(*) from sandboxes s where s.host_id = h.id and s.state <> 'stopped') as sandboxes
                        from hosts h order by h.created_at, h.id""")
                .map((rs, ctx) -> new HostView(Ids.HOST.format(rs.getObject("id", UUID.class)), rs.getString("name"),
                        rs.getString("state"), rs.getString("accelerator"), rs.getString("accelerator_reason"),
                        rs.getInt("sandboxes"),
                        Optional.ofNullable(rs.getObject("last_seen_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant).orElse(null), null))
                .list());
    }
}

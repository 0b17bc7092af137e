package dev.amber.server.host;

import dev.amber.api.host.HostView;
import dev.amber.server.Ids;
import dev.amber.server.WireName;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Hosts as the database knows them; {@code hosts.state} holds a {@link HostState}'s wire name. */
public final class HostRepository {

    /** A host's row as registration and the admin routes need it: {@code teamId} null for a platform host. */
    public record HostRow(UUID id, HostState state, boolean drained, UUID teamId) {}

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

    /**
     * Refreshes host {@code id} (known by its certificate) as it registers: ready again, or draining
     * when it was drained. A removed host's row is left as it is and returned removed; empty when
     * there is no such host.
     */
    public Optional<HostRow> register(UUID id, String address, HostClient.HostFacts facts) {
        return jdbi.inTransaction(handle -> handle.createQuery("""
                        update hosts set address = :address,
                            state = case when drained then 'draining' else 'ready' end,
                            accelerator = :accelerator, accelerator_reason = :reason, last_seen_at = now()
                        where id = :id and state <> 'removed'
                        returning id, state, drained, team_id""")
                .bind("id", id).bind("address", address)
                .bind("accelerator", facts.accelerator()).bind("reason", facts.acceleratorReason())
                .map((rs, ctx) -> row(rs)).findOne()
                .or(() -> handle.createQuery("select id, state, drained, team_id from hosts where id = :id")
                        .bind("id", id).map((rs, ctx) -> row(rs)).findOne()));
    }

    /** Every host's row, for a directory to learn an admin's drain or removal made through another replica. */
    public List<HostRow> rows() {
        return jdbi.withHandle(handle -> handle.createQuery("select id, state, drained, team_id from hosts")
                .map((rs, ctx) -> row(rs)).list());
    }

    public Optional<HostRow> find(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select id, state, drained, team_id from hosts where id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** Records {@code state}; a host that is back ({@code READY}) was also seen now. A removed host stays removed. */
    public void setState(UUID id, HostState state) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update hosts set state = :state,
                            last_seen_at = case when :state = 'ready' then now() else last_seen_at end
                        where id = :id and state <> 'removed'""")
                .bind("id", id).bind("state", state.wireName()).execute());
    }

    public void touch(UUID id) {
        jdbi.useHandle(handle -> handle.createUpdate("update hosts set last_seen_at = now() where id = :id")
                .bind("id", id).execute());
    }

    /** Takes the host out of placement for good (until removed); false when there is no such host or it is removed. */
    public boolean drain(UUID id) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update hosts set drained = true, state = case when state = 'ready' then 'draining' else state end
                        where id = :id and state <> 'removed'""")
                .bind("id", id).execute()) == 1;
    }

    /** Marks a drained host that holds no active sandbox removed; false when it is not drained or holds one. */
    public boolean remove(UUID id) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        update hosts set state = 'removed'
                        where id = :id and drained and state <> 'removed' and not exists (
                            select 1 from sandboxes s where s.host_id = hosts.id and s.state <> 'stopped')""")
                .bind("id", id).execute()) == 1;
    }

    /** How many sandboxes of the host are not stopped (they hold it: a host with any cannot be removed). */
    public int activeSandboxes(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select count(*) from sandboxes where host_id = :id and state <> 'stopped'")
                .bind("id", id).mapTo(Integer.class).one());
    }

    /** Every host, for an admin. */
    public List<HostView> list() {
        return list("", null);
    }

    /** The hosts a team brought (BYOC): a team sees only its own. */
    public List<HostView> listOfTeam(UUID team) {
        return list("where h.team_id = :team", requireNonNull(team, "team"));
    }

    private List<HostView> list(String where, UUID team) {
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery("""
                    select h.id, h.name, h.state, h.address, h.accelerator, h.accelerator_reason, h.team_id,
                           h.last_seen_at,
                           (select count(*) from sandboxes s where s.host_id = h.id and s.state <> 'stopped') as sandboxes
                    from hosts h %s order by h.created_at, h.id""".formatted(where));
            if (team != null) {
                query.bind("team", team);
            }
            return query.map((rs, ctx) -> new HostView(Ids.HOST.format(rs.getObject("id", UUID.class)), rs.getString("name"),
                        rs.getString("state"), rs.getString("address"), rs.getString("accelerator"),
                        rs.getString("accelerator_reason"), null, Ids.TEAM.format(rs.getObject("team_id", UUID.class)),
                        rs.getInt("sandboxes"),
                        Optional.ofNullable(rs.getObject("last_seen_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant).orElse(null), null, null))
                    .list();
        });
    }

    private static HostRow row(ResultSet rs) throws SQLException {
        return new HostRow(rs.getObject("id", UUID.class), WireName.fromWireName(HostState.class, rs.getString("state")),
                rs.getBoolean("drained"), rs.getObject("team_id", UUID.class));
    }
}

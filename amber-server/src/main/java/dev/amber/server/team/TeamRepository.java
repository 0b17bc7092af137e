package dev.amber.server.team;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Teams and their users. */
public final class TeamRepository {

    public record Team(UUID id, String name, Instant createdAt) {}

    private final Jdbi jdbi;

    public TeamRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    public Optional<Team> find(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select id, name, created_at from teams where id = :id")
                .bind("id", id).map(TeamRepository::team)
                .findOne());
    }

    public List<Team> list(int offset, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select id, name, created_at from teams order by created_at, id offset :offset limit :limit")
                .bind("offset", offset).bind("limit", limit)
                .map(TeamRepository::team)
                .list());
    }

    /** Creates a team, or returns empty when the name is taken. */
    public Optional<Team> create(String name) {
        UUID id = UUID.randomUUID();
        return jdbi.withHandle(handle -> handle.createQuery("""
                        insert into teams (id, name) values (:id, :name) on conflict (name) do nothing
                        returning id, name, created_at""")
                .bind("id", id).bind("name", name)
                .map(TeamRepository::team)
                .findOne());
    }

    /** Creates a user of a team and returns its id. */
    public UUID createUser(UUID teamId, String name, boolean admin) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(handle -> handle.createUpdate(
                        "insert into users (id, team_id, name, admin) values (:id, :team, :name, :admin)")
                .bind("id", id).bind("team", teamId).bind("name", name).bind("admin", admin).execute());
        return id;
    }

    /** Whether team {@code id} may bring its own hosts (BYOC); false for an unknown team. */
    public boolean byoc(UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery("select byoc from teams where id = :id")
                .bind("id", id).mapTo(Boolean.class).findOne().orElse(false));
    }

    /** Lets team {@code id} bring its own hosts, or not; false when there is no such team. */
    public boolean setByoc(UUID id, boolean enabled) {
        return jdbi.withHandle(handle -> handle.createUpdate("update teams set byoc = :enabled where id = :id")
                .bind("id", id).bind("enabled", enabled).execute()) == 1;
    }

    public boolean hasAdmin() {
        return jdbi.withHandle(handle -> handle.createQuery("select exists (select 1 from users where admin)")
                .mapTo(Boolean.class).one());
    }

    private static Team team(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Team(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}

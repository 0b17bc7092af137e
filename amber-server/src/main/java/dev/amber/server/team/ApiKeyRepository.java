package dev.amber.server.team;

import dev.amber.server.auth.ApiKeySecrets;
import dev.amber.server.auth.Caller;
import dev.amber.server.auth.KeyLookup;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** API keys, always scoped by team in SQL. */
public final class ApiKeyRepository implements KeyLookup {

    /** A stored key (never its secret). */
    public record ApiKey(UUID id, UUID teamId, String name, String prefix, boolean admin, Instant createdAt,
                         Instant lastUsedAt) {}

    private final Jdbi jdbi;

    public ApiKeyRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /** Creates a key and returns it with its secret, which exists nowhere else afterwards. */
    public Created create(UUID teamId, UUID userId, String name, boolean admin) {
        String secret = ApiKeySecrets.generate();
        UUID id = UUID.randomUUID();
        Instant createdAt = jdbi.withHandle(handle -> handle.createUpdate("""
                        insert into api_keys (id, team_id, user_id, name, prefix, secret_hash, admin)
                        values (:id, :team, cast(:user as uuid), :name, :prefix, :hash, :admin)""")
                .bind("id", id).bind("team", teamId).bind("user", userId).bind("name", name)
                .bind("prefix", ApiKeySecrets.displayPrefix(secret)).bind("hash", ApiKeySecrets.hash(secret))
                .bind("admin", admin)
                .executeAndReturnGeneratedKeys("created_at").mapTo(OffsetDateTime.class).one()).toInstant();
        return new Created(new ApiKey(id, teamId, name, ApiKeySecrets.displayPrefix(secret), admin, createdAt, null), secret);
    }

    /** A key with its secret, just created. */
    public record Created(ApiKey key, String secret) {}

    @Override
    public Optional<Caller> authenticate(String secret) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select id, team_id, admin from api_keys where secret_hash = :hash")
                .bind("hash", ApiKeySecrets.hash(secret))
                .map((rs, ctx) -> new Caller(rs.getObject("team_id", UUID.class), rs.getObject("id", UUID.class),
                        rs.getBoolean("admin")))
                .findOne());
    }

    @Override
    public void touch(UUID keyId) {
        jdbi.useHandle(handle -> handle.createUpdate("update api_keys set last_used_at = now() where id = :id")
                .bind("id", keyId).execute());
    }

    public List<ApiKey> list(UUID teamId, int offset, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select id, team_id, name, prefix, admin, created_at, last_used_at from api_keys
                        where team_id = :team order by created_at, id offset :offset limit :limit""")
                .bind("team", teamId).bind("offset", offset).bind("limit", limit)
                .map((rs, ctx) -> new ApiKey(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class),
                        rs.getString("name"), rs.getString("prefix"), rs.getBoolean("admin"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject("last_used_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant).orElse(null)))
                .list());
    }

    /** Deletes a key of this team; false when the team has no such key. */
    public boolean delete(UUID teamId, UUID keyId) {
        return jdbi.withHandle(handle -> handle.createUpdate("delete from api_keys where id = :id and team_id = :team")
                .bind("id", keyId).bind("team", teamId).execute()) == 1;
    }
}

package dev.amber.server.cluster;

import dev.amber.proto.link.JoinToken;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Join tokens as the database keeps them (table {@code host_join_tokens}: the secret's hash only). */
public final class JoinTokens {

    /** A token made now: its text is shown once and never stored. */
    public record Issued(JoinToken token, Instant expiresAt) {}

    /** Why a token does not let a host in. */
    public enum Refusal {
        UNKNOWN("this join token is not known to this cluster (mistyped, or made by another server)"),
        USED("this join token has been used already: each token joins one host; make a new one with `amber host token`"),
        EXPIRED("this join token has expired; make a new one with `amber host token`"),
        NAME_TAKEN("a host with this name is in the cluster already; join under another name");

        private final String message;

        Refusal(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** The token was refused; nothing was changed. */
    public static final class RefusedException extends Exception {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.message());
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final Jdbi jdbi;

    public JoinTokens(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /** A token valid for {@code ttl} for a host of team {@code teamId} (null: a platform host), made by key {@code createdBy}. */
    public Issued create(UUID teamId, UUID createdBy, Duration ttl, String caFingerprint) {
        requireNonNull(createdBy, "createdBy");
        JoinToken token = JoinToken.generate(caFingerprint);
        OffsetDateTime expires = jdbi.withHandle(handle -> handle.createQuery("""
                        insert into host_join_tokens (id, secret_sha256, team_id, created_by, expires_at)
                        values (:id, :hash, cast(:team as uuid), :by, now() + make_interval(secs => :ttl))
                        returning expires_at""")
                .bind("id", UUID.randomUUID()).bind("hash", hash(token.secret())).bind("team", teamId)
                .bind("by", createdBy).bind("ttl", (double) ttl.toSeconds())
                .mapTo(OffsetDateTime.class).one());
        return new Issued(token, expires.toInstant());
    }

    /**
     * Consumes the token with {@code secret} and records host {@code name} at {@code address} (of the
     * token's team), in one transaction: two hosts racing with one token cannot both get in, and a
     * refused join leaves the token as it was. Returns the new host's id.
     */
    public UUID redeem(String secret, String name, String address) throws RefusedException {
        byte[] hash = hash(requireNonNull(secret, "secret"));
        return jdbi.inTransaction(handle -> {
            Optional<Consumed> consumed = handle.createQuery("""
                            update host_join_tokens set used_at = now()
                            where secret_sha256 = :hash and used_at is null and expires_at > now()
                            returning id, team_id""")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new Consumed(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class)))
                    .findOne();
            if (consumed.isEmpty()) {
                throw new RefusedException(whyRefused(handle, hash));
            }
            UUID hostId = handle.createQuery("""
                            insert into hosts (id, name, address, state, team_id)
                            values (:id, :name, :address, 'unreachable', cast(:team as uuid))
                            on conflict (name) do nothing returning id""")
                    .bind("id", UUID.randomUUID()).bind("name", name).bind("address", address)
                    .bind("team", consumed.get().teamId())
                    .mapTo(UUID.class).findOne()
                    .orElseThrow(() -> new RefusedException(Refusal.NAME_TAKEN));
            handle.createUpdate("update host_join_tokens set host_id = :host where id = :id")
                    .bind("host", hostId).bind("id", consumed.get().id()).execute();
            return hostId;
        });
    }

    private record Consumed(UUID id, UUID teamId) {}

    private static Refusal whyRefused(Handle handle, byte[] hash) {
        return handle.createQuery("select used_at is not null from host_join_tokens where secret_sha256 = :hash")
                .bind("hash", hash).mapTo(Boolean.class).findOne()
                .map(used -> used ? Refusal.USED : Refusal.EXPIRED)
                .orElse(Refusal.UNKNOWN);
    }

    private static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

package dev.amber.server.patch;

import dev.amber.api.snapshot.PatchView;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Patches in PostgreSQL, and what each sandbox has applied. A snapshot counts its patches itself,
 * so a sequence number is never given twice, even after the last patch was deleted.
 */
final class PatchRepository {

    private final Jdbi jdbi;

    PatchRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    PatchView add(UUID snapshotId, String script) {
        return jdbi.inTransaction(handle -> {
            int sequence = handle.createQuery("""
                            update snapshots set patch_sequence = patch_sequence + 1 where id = :id
                            returning patch_sequence""")
                    .bind("id", snapshotId).mapTo(Integer.class).one();
            return handle.createQuery("""
                            insert into snapshot_patches (snapshot_id, sequence, script) values (:id, :sequence, :script)
                            returning sequence, script, created_at""")
                    .bind("id", snapshotId).bind("sequence", sequence).bind("script", script)
                    .map(PatchRepository::patch).one();
        });
    }

    /** The snapshot's patches after {@code sequence}, in order. */
    List<PatchView> after(UUID snapshotId, int sequence) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select sequence, script, created_at from snapshot_patches
                        where snapshot_id = :id and sequence > :after order by sequence""")
                .bind("id", snapshotId).bind("after", sequence).map(PatchRepository::patch).list());
    }

    Optional<PatchView> find(UUID snapshotId, int sequence) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select sequence, script, created_at from snapshot_patches
                        where snapshot_id = :id and sequence = :sequence""")
                .bind("id", snapshotId).bind("sequence", sequence).map(PatchRepository::patch).findOne());
    }

    boolean delete(UUID snapshotId, int sequence) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "delete from snapshot_patches where snapshot_id = :id and sequence = :sequence")
                .bind("id", snapshotId).bind("sequence", sequence).execute() > 0);
    }

    /** The sandbox has applied patch {@code sequence}: it is not applied again, and no error stands. */
    void applied(UUID sandboxId, int sequence) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update sandboxes set last_patch_sequence = :sequence, patch_error = null where id = :id")
                .bind("id", sandboxId).bind("sequence", sequence).execute());
    }

    void failed(UUID sandboxId, String error) {
        jdbi.useHandle(handle -> handle.createUpdate("update sandboxes set patch_error = :error where id = :id")
                .bind("id", sandboxId).bind("error", error).execute());
    }

    private static PatchView patch(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PatchView(rs.getInt("sequence"), rs.getString("script"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}

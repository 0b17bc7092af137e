package dev.amber.server.template;

import dev.amber.server.Ids;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Templates a team may start sandboxes from: its own and the platform's. */
public final class TemplateRepository {

    /** The template every create without a source uses. */
    public static final String DEFAULT_TEMPLATE = "base";

    public record Template(UUID id, UUID teamId, String name, String kind, int vcpus, int memoryMb) {}

    private final Jdbi jdbi;

    public TemplateRepository(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /** The team's template of that name, else the platform's. */
    public Optional<Template> findVisible(UUID teamId, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select id, team_id, name, kind, vcpus, memory_mb from templates
                        where name = :name and team_id in (:team, :platform)
                        order by (team_id = :platform) limit 1""")
                .bind("name", name).bind("team", teamId).bind("platform", Ids.PLATFORM_TEAM)
                .map((rs, ctx) -> new Template(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class),
                        rs.getString("name"), rs.getString("kind"), rs.getInt("vcpus"), rs.getInt("memory_mb")))
                .findOne());
    }
}

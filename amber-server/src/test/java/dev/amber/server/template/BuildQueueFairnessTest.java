package dev.amber.server.template;

import dev.amber.server.TestDatabase;
import dev.amber.server.http.Json;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BuildQueueFairnessTest {

    private static TestDatabase database;
    private static BuildRepository builds;
    private static final OffsetDateTime START = OffsetDateTime.now().minusHours(1);

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        builds = new BuildRepository(database.jdbi(), Json.mapper(), UUID.randomUUID());
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void oneTeamsLongQueueDoesNotStarveAnotherTeamsSingleBuild() {
        UUID busy = database.newTeam("busy");
        UUID other = database.newTeam("other");
        List<UUID> busyBuilds = List.of(queue(busy, 1), queue(busy, 2), queue(busy, 3));
        UUID otherBuild = queue(other, 4);

        assertThat(List.of(claim(), claim(), claim(), claim()))
                .as("the oldest build first, then the team with none running, then the rest in age order")
                .containsExactly(busyBuilds.get(0), otherBuild, busyBuilds.get(1), busyBuilds.get(2));
        assertThat(builds.claimNext()).isEmpty();
    }

    private static UUID claim() {
        return builds.claimNext().orElseThrow().id();
    }

    /** A queued build of a new template of {@code team}, created {@code minute} minutes after the start. */
    private static UUID queue(UUID team, int minute) {
        Jdbi jdbi = database.jdbi();
        UUID template = UUID.randomUUID();
        UUID build = UUID.randomUUID();
        String recipe = builds.write(new Recipe("base", List.of(), null, 0, TemplateKind.SNAPSHOT, 1, 512, 5120, null));
        jdbi.useHandle(handle -> {
            handle.createUpdate("""
                            insert into templates (id, team_id, name, kind, vcpus, memory_mb)
                            values (:id, :team, :name, 'snapshot', 1, 512)""")
                    .bind("id", template).bind("team", team).bind("name", "t-" + template).execute();
            handle.createUpdate("""
                            insert into builds (id, team_id, template_id, status, recipe, steps, created_at)
                            values (:id, :team, :template, 'queued', cast(:recipe as jsonb), '[]', :created)""")
                    .bind("id", build).bind("team", team).bind("template", template).bind("recipe", recipe)
                    .bind("created", START.plusMinutes(minute)).execute();
        });
        return build;
    }
}

package dev.amber.server.cluster;

import dev.amber.server.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Server replicas on one database share one cluster CA, or the second one says what to copy. */
class SharedAuthorityTest {

    private TestDatabase database;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.start();
    }

    @AfterEach
    void stop() throws Exception {
        database.close();
    }

    @Test
    void aFurtherReplicaRunsOnTheFirstOnesCaAndOnNoOther(@TempDir Path first, @TempDir Path second, @TempDir Path other)
            throws Exception {
        ClusterAuthority made = SharedAuthority.open(database.jdbi(), first);

        assertThatThrownBy(() -> SharedAuthority.open(database.jdbi(), second))
                .hasMessageContaining(made.fingerprint()).hasMessageContaining("copy its cluster-ca/");
        assertThat(second).isEmptyDirectory();

        ClusterAuthority.loadOrCreate(other);
        assertThatThrownBy(() -> SharedAuthority.open(database.jdbi(), other))
                .hasMessageContaining("is not this cluster's (" + made.fingerprint() + ")");

        try (var files = Files.list(first)) {
            for (Path file : files.toList()) {
                Files.copy(file, second.resolve(file.getFileName()));
            }
        }
        assertThat(SharedAuthority.open(database.jdbi(), second).fingerprint()).isEqualTo(made.fingerprint());
    }
}

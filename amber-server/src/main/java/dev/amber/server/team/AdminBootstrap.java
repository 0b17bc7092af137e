package dev.amber.server.team;

import dev.amber.server.Ids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import static java.util.Objects.requireNonNull;

/** On the very first start: the platform admin and its API key, written to a file only its owner can read. */
public final class AdminBootstrap {

    private static final System.Logger LOG = System.getLogger("amber.bootstrap");

    private final TeamRepository teams;
    private final ApiKeyRepository keys;

    public AdminBootstrap(TeamRepository teams, ApiKeyRepository keys) {
        this.teams = requireNonNull(teams, "teams");
        this.keys = requireNonNull(keys, "keys");
    }

    /** Creates the admin unless one exists; returns true when it did. */
    public boolean ensureAdmin(Path keyFile) throws IOException {
        if (teams.hasAdmin()) {
            return false;
        }
        var userId = teams.createUser(Ids.PLATFORM_TEAM, "admin", true);
        ApiKeyRepository.Created key = keys.create(Ids.PLATFORM_TEAM, userId, "admin", true);
        Files.createDirectories(keyFile.toAbsolutePath().getParent());
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, key.secret() + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        LOG.log(System.Logger.Level.INFO, "created the platform admin; its API key is in {0}", keyFile);
        return true;
    }
}

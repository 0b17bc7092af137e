package dev.amber.server.cluster;

import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keeps every server replica on one cluster CA. The database records the fingerprint of the CA the
 * first replica made; a replica that holds another CA, or none while the database records one,
 * refuses to start and says what to copy, since hosts trust only certificates of the CA they joined
 * with. The CA itself (its private key) stays in the replicas' data directories, not in the database.
 */
public final class SharedAuthority {

    private SharedAuthority() {}

    /** The cluster's CA from {@code directory}, made there when neither it nor the database has one yet. */
    public static ClusterAuthority open(Jdbi jdbi, Path directory) throws IOException {
        requireNonNull(jdbi, "jdbi");
        requireNonNull(directory, "directory");
        Optional<String> recorded = recorded(jdbi);
        if (recorded.isPresent() && !ClusterAuthority.existsIn(directory)) {
            throw new IOException("this database serves a cluster whose CA (fingerprint " + recorded.get() + ") is not "
                    + "in " + directory + ": a further server replica needs the first one's CA; copy its "
                    + "cluster-ca/ (ca.pem and ca.key, mode 0600) from that replica's AMBER_DATA here");
        }
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(directory);
        jdbi.useHandle(handle -> handle.createUpdate(
                        "insert into cluster_authority (fingerprint) values (:fingerprint) on conflict do nothing")
                .bind("fingerprint", authority.fingerprint()).execute());
        String cluster = recorded(jdbi).orElseThrow();
        if (!cluster.equals(authority.fingerprint())) {
            throw new IOException("the CA in " + directory + " (fingerprint " + authority.fingerprint() + ") is not this "
                    + "cluster's (" + cluster + "), which its hosts trust: copy cluster-ca/ (ca.pem and ca.key) from "
                    + "another replica's AMBER_DATA over it");
        }
        return authority;
    }

    private static Optional<String> recorded(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery("select fingerprint from cluster_authority")
                .mapTo(String.class).findOne());
    }
}

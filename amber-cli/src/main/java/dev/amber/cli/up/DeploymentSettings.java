package dev.amber.cli.up;

import dev.amber.server.ServerSettings;

import java.util.Map;

/**
 * How `amber up` runs: where it listens and which database it uses. {@code databaseUrl} null means
 * the embedded PostgreSQL under AMBER_DATA. Read from the environment:
 * <pre>
 * AMBER_PORT (7070)  AMBER_BIND (0.0.0.0)  AMBER_GRPC_PORT (7071, loopback: the local host registers there)
 * AMBER_DATABASE_URL, AMBER_DATABASE_USER, AMBER_DATABASE_PASSWORD   an external PostgreSQL instead
 * AMBER_DOMAIN (localhost)   {port}-{sandboxId}.AMBER_DOMAIN reaches a sandbox's port through the server
 * AMBER_PRESTARTED (2)       QEMUs kept waiting for the snapshots sandboxes were last created from
 * AMBER_BUILD_WORKERS (2)    template builds that run at once
 * AMBER_ALLOW_PRIVATE_EGRESS (0)  1: sandboxes' allowOut may name private ranges (10/8, 172.16/12, 192.168/16, 100.64/10)
 * </pre>
 */
public record DeploymentSettings(String bindHost, int httpPort, int registryPort, String databaseUrl, String databaseUser,
                                 String databasePassword, String portDomain, int prestartedMachines, int buildWorkers,
                                 boolean privateEgress) {

    /** Pre-started machines: the base snapshot's and one more snapshot's. */
    public static final int DEFAULT_PRESTARTED = 2;
    private static final int MAX_PRESTARTED = 64;
    /** Builds at once by default: builds are mostly guest time, two keep a small host busy. */
    public static final int DEFAULT_BUILD_WORKERS = 2;
    private static final int MAX_BUILD_WORKERS = 64;

    /** Browsers resolve every *.localhost name to the loopback address: host names work with no DNS set up. */
    public static final String DEFAULT_DOMAIN = "localhost";

    public static DeploymentSettings fromEnvironment(Map<String, String> env) {
        return new DeploymentSettings(
                env.getOrDefault("AMBER_BIND", "0.0.0.0"),
                port(env, "AMBER_PORT", 7070),
                port(env, "AMBER_GRPC_PORT", 7071),
                blankToNull(env.get("AMBER_DATABASE_URL")),
                env.getOrDefault("AMBER_DATABASE_USER", "postgres"),
                env.getOrDefault("AMBER_DATABASE_PASSWORD", ""),
                env.getOrDefault("AMBER_DOMAIN", DEFAULT_DOMAIN),
                number(env, "AMBER_PRESTARTED", DEFAULT_PRESTARTED, 0, MAX_PRESTARTED),
                number(env, "AMBER_BUILD_WORKERS", DEFAULT_BUILD_WORKERS, 1, MAX_BUILD_WORKERS),
                number(env, "AMBER_ALLOW_PRIVATE_EGRESS", 0, 0, 1) == 1);
    }

    /** Loopback, free ports and the embedded database. */
    public static DeploymentSettings forTests() {
        return forTests(null, "postgres", "");
    }

    /** Loopback and free ports; {@code databaseUrl} null for the embedded database. */
    public static DeploymentSettings forTests(String databaseUrl, String user, String password) {
        return new DeploymentSettings("127.0.0.1", 0, 0, databaseUrl, user, password, DEFAULT_DOMAIN, DEFAULT_PRESTARTED,
                DEFAULT_BUILD_WORKERS, false);
    }

    /** What the control plane needs of these settings. */
    public ServerSettings server() {
        return new ServerSettings(bindHost, httpPort, portDomain, buildWorkers, privateEgress);
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 0, 65535);
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ", got \"" + value + "\"");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package dev.amber.cli.up;

import dev.amber.server.CapacitySettings;
import dev.amber.server.ServerSettings;
import dev.amber.server.http.Transport;
import dev.amber.store.StoreSettings;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How `amber up`, `amber server` and `amber host join` run: where they listen and which database the server uses. {@code databaseUrl} null means
 * the embedded PostgreSQL under AMBER_DATA. Read from the environment:
 * <pre>
 * AMBER_PORT (7070)  AMBER_BIND (0.0.0.0)  AMBER_GRPC_PORT (7071: the link port hosts register at; loopback for amber up)
 * AMBER_HOST_PORT (7072: where `amber host join` listens for the server's calls)
 * AMBER_DATABASE_URL, AMBER_DATABASE_USER, AMBER_DATABASE_PASSWORD   an external PostgreSQL instead
 * AMBER_DOMAIN (localhost)   {port}-{sandboxId}.AMBER_DOMAIN reaches a sandbox's port through the server
 * AMBER_PRESTARTED (2)       QEMUs kept waiting for the snapshots sandboxes were last created from
 * AMBER_BUILD_WORKERS (2)    template builds that run at once
 * AMBER_TLS_CERT, AMBER_TLS_KEY   PEM certificate chain and PKCS#8 key: the API port speaks HTTPS
 * AMBER_DEFAULT_TIMEOUT_SEC (0)  AMBER_MEMORY_OVERCOMMIT (1.0)  AMBER_VCPU_OVERCOMMIT (16)
 * AMBER_RATE_LIMIT (50 requests/s per API key, 0: off)  AMBER_RATE_LIMIT_BURST (200)   see {@link CapacitySettings}
 * AMBER_ALLOW_PRIVATE_EGRESS (0)  1: sandboxes' allowOut may name private ranges (10/8, 172.16/12, 192.168/16, 100.64/10)
 * AMBER_HOST_TIMEOUT_SEC (10)     a host that sent no heartbeat for this long is unreachable
 * AMBER_S3_BUCKET, AMBER_S3_ENDPOINT, AMBER_S3_REGION, AMBER_S3_ACCESS_KEY, AMBER_S3_SECRET_KEY, AMBER_S3_PREFIX,
 * AMBER_S3_PARALLELISM (4), AMBER_S3_BANDWIDTH_MBPS (100)   the object store snapshots and paused sandboxes are
 *                            copied to (see {@link StoreSettings}); unset: they stay on their host
 * AMBER_HISTORY_DAYS (7)     stopped sandboxes stay listed (?state=stopped) this long, then their rows are pruned
 * </pre>
 */
public record DeploymentSettings(String bindHost, int httpPort, int registryPort, int hostPort, String databaseUrl, String databaseUser,
                                 String databasePassword, String portDomain, int prestartedMachines, int buildWorkers,
                                 Transport transport, CapacitySettings capacity, boolean privateEgress,
                                 Duration hostTimeout, Optional<StoreSettings> store, Duration history) {

    public DeploymentSettings {
        requireNonNull(transport, "transport");
        requireNonNull(capacity, "capacity");
        requireNonNull(hostTimeout, "hostTimeout");
        requireNonNull(store, "store");
        requireNonNull(history, "history");
    }

    /** Pre-started machines: the base snapshot's and one more snapshot's. */
    public static final int DEFAULT_PRESTARTED = 2;
    private static final int MAX_PRESTARTED = 64;
    /** Builds at once by default: builds are mostly guest time, two keep a small host busy. */
    public static final int DEFAULT_BUILD_WORKERS = 2;
    private static final int MAX_BUILD_WORKERS = 64;
    private static final int MAX_HOST_TIMEOUT_SEC = 3600;
    private static final int MAX_HISTORY_DAYS = 3650;

    /** Browsers resolve every *.localhost name to the loopback address: host names work with no DNS set up. */
    public static final String DEFAULT_DOMAIN = "localhost";

    public static DeploymentSettings fromEnvironment(Map<String, String> env) {
        return new DeploymentSettings(
                env.getOrDefault("AMBER_BIND", "0.0.0.0"),
                port(env, "AMBER_PORT", 7070),
                port(env, "AMBER_GRPC_PORT", 7071),
                port(env, "AMBER_HOST_PORT", 7072),
                blankToNull(env.get("AMBER_DATABASE_URL")),
                env.getOrDefault("AMBER_DATABASE_USER", "postgres"),
                env.getOrDefault("AMBER_DATABASE_PASSWORD", ""),
                env.getOrDefault("AMBER_DOMAIN", DEFAULT_DOMAIN),
                number(env, "AMBER_PRESTARTED", DEFAULT_PRESTARTED, 0, MAX_PRESTARTED),
                number(env, "AMBER_BUILD_WORKERS", DEFAULT_BUILD_WORKERS, 1, MAX_BUILD_WORKERS),
                transport(env),
                capacity(env),
                number(env, "AMBER_ALLOW_PRIVATE_EGRESS", 0, 0, 1) == 1,
                Duration.ofSeconds(number(env, "AMBER_HOST_TIMEOUT_SEC",
                        (int) ServerSettings.DEFAULT_HOST_TIMEOUT.toSeconds(), 1, MAX_HOST_TIMEOUT_SEC)),
                StoreSettings.fromEnvironment(env),
                Duration.ofDays(number(env, "AMBER_HISTORY_DAYS", (int) ServerSettings.DEFAULT_HISTORY.toDays(), 1,
                        MAX_HISTORY_DAYS)));
    }

    /** Loopback, free ports and the embedded database. */
    public static DeploymentSettings forTests() {
        return forTests(null, "postgres", "");
    }

    /** Loopback and free ports; {@code databaseUrl} null for the embedded database. */
    public static DeploymentSettings forTests(String databaseUrl, String user, String password) {
        return new DeploymentSettings("127.0.0.1", 0, 0, 0, databaseUrl, user, password, DEFAULT_DOMAIN, DEFAULT_PRESTARTED,
                DEFAULT_BUILD_WORKERS, Transport.plain(), CapacitySettings.defaults(),
                false, ServerSettings.DEFAULT_HOST_TIMEOUT, Optional.empty(), ServerSettings.DEFAULT_HISTORY);
    }

    public DeploymentSettings withTransport(Transport value) {
        return new DeploymentSettings(bindHost, httpPort, registryPort, hostPort, databaseUrl, databaseUser, databasePassword,
                portDomain, prestartedMachines, buildWorkers, value, capacity, privateEgress, hostTimeout,
                store, history);
    }

    /** These settings with {@code store} as the object store. */
    public DeploymentSettings withStore(StoreSettings value) {
        return new DeploymentSettings(bindHost, httpPort, registryPort, hostPort, databaseUrl, databaseUser, databasePassword,
                portDomain, prestartedMachines, buildWorkers, transport, capacity, privateEgress, hostTimeout,
                Optional.of(value), history);
    }

    /** These settings with {@code capacity} instead. */
    public DeploymentSettings withCapacity(CapacitySettings capacity) {
        return new DeploymentSettings(bindHost, httpPort, registryPort, hostPort, databaseUrl, databaseUser, databasePassword,
                portDomain, prestartedMachines, buildWorkers, transport, capacity, privateEgress, hostTimeout,
                store, history);
    }

    /** What the control plane needs of these settings. */
    public ServerSettings server() {
        return new ServerSettings(bindHost, httpPort, portDomain, buildWorkers, transport, capacity, privateEgress,
                hostTimeout, store, history);
    }

    /** HTTPS when both PEM files are named; one without the other is a mistake, not plain HTTP. */
    private static Transport transport(Map<String, String> env) {
        String certificate = blankToNull(env.get("AMBER_TLS_CERT"));
        String key = blankToNull(env.get("AMBER_TLS_KEY"));
        if (certificate == null && key == null) {
            return Transport.plain();
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("set both AMBER_TLS_CERT and AMBER_TLS_KEY (PEM files) to serve HTTPS, or neither");
        }
        return Transport.tls(Path.of(certificate), Path.of(key));
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 0, 65535);
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        double number = decimal(env, name, fallback, min, max);
        if (number != Math.rint(number)) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + env.get(name) + "\"");
        }
        return (int) number;
    }

    private static double decimal(Map<String, String> env, String name, double fallback, double min, double max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.strip());
            if (!(number >= min && number <= max)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number from " + plain(min) + " to " + plain(max)
                    + ", got \"" + value + "\"");
        }
    }

    private static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    /** The limits callers get: the defaults, with what the environment sets instead. */
    private static CapacitySettings capacity(Map<String, String> env) {
        CapacitySettings defaults = CapacitySettings.defaults();
        return new CapacitySettings(
                number(env, "AMBER_DEFAULT_TIMEOUT_SEC", defaults.defaultTimeoutSec(), 0, CapacitySettings.MAX_TIMEOUT_SEC),
                decimal(env, "AMBER_MEMORY_OVERCOMMIT", defaults.memoryOvercommit(), 0.001, 100),
                decimal(env, "AMBER_VCPU_OVERCOMMIT", defaults.vcpuOvercommit(), 0.01, 1000),
                decimal(env, "AMBER_RATE_LIMIT", defaults.requestsPerSec(), 0, 1_000_000),
                number(env, "AMBER_RATE_LIMIT_BURST", defaults.burst(), 1, 1_000_000));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

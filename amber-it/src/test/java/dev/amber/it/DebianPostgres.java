package dev.amber.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from Debian's package (installed by scripts/setup-test-deps), in a
 * cluster of its own under /tmp, run as the postgres user on a free loopback port, or on a
 * machine's address inside its network namespace ({@link #startIn}).
 */
final class DebianPostgres implements AutoCloseable {

    static final String USER = "amber";
    static final String PASSWORD = "amber-test-password";

    private final Path dir;
    private final Path bin;
    private final String address;
    private final int port;

    private DebianPostgres(Path dir, Path bin, String address, int port) {
        this.dir = dir;
        this.bin = bin;
        this.address = address;
        this.port = port;
    }

    static DebianPostgres start() throws Exception {
        return start(List.of(), "127.0.0.1", Processes.freePort());
    }

    /** On {@code machine}'s address, port 5432, inside its network namespace. */
    static DebianPostgres startIn(NetworkNamespaces.Machine machine) throws Exception {
        return start(List.of("nsenter", "--net=/run/netns/" + machine.namespace()), machine.address(), 5432);
    }

    /** {@code inside}: the command prefix that puts the server where it listens. */
    private static DebianPostgres start(List<String> inside, String address, int port) throws Exception {
        Path bin = serverBinaries();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "amber-pg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        run("chown", "-R", "postgres:postgres", dir.toString());
        asPostgres(List.of(), bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--pwfile=" + dir.resolve("password"), "--auth-host=scram-sha-256", "--auth-local=trust");
        // clients on the machine's own network (a namespace's), with the password
        Files.writeString(dir.resolve("data").resolve("pg_hba.conf"), "host all all samenet scram-sha-256\n",
                StandardOpenOption.APPEND);
        asPostgres(inside, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
                dir.resolve("server.log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=" + address,
                "start");
        asPostgres(List.of(), bin.resolve("createdb").toString(), "-h", dir.toString(), "-p", String.valueOf(port),
                "-U", USER, "amber");
        return new DebianPostgres(dir, bin, address, port);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + address + ":" + port + "/amber";
    }

    @Override
    public void close() throws Exception {
        asPostgres(List.of(), bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "stop");
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static Path serverBinaries() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no PostgreSQL server; run scripts/setup-test-deps"));
        }
    }

    /** Runs {@code command} as the postgres user, after {@code inside} (a namespace to enter, or none). */
    private static void asPostgres(List<String> inside, String... command) throws Exception {
        List<String> full = new ArrayList<>(inside);
        full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}

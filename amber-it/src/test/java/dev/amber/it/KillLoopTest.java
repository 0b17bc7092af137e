package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.it.Acknowledged.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `amber up` (server, host and embedded PostgreSQL in one process) killed with SIGKILL at a random
 * moment of a random operation (create, exec writing a file, pause, resume, snapshot, delete of a
 * sandbox or a snapshot), then started again on the same data directory, round after round. After
 * every restart the deployment must tell the truth ({@link DeploymentInvariants}) and keep what it
 * acknowledged: a paused sandbox stays paused, a deleted one stopped, a running one (its VM died
 * with the host) is reported stopped with the reason, a snapshot taken is ready, and every file
 * written before is there the next time the sandbox runs, also in sandboxes made from a snapshot.
 * Rounds: {@code -Damber.killLoop.rounds} (50); the seed ({@code -Damber.killLoop.seed}) is printed.
 */
class KillLoopTest {

    private static final int ROUNDS = Integer.getInteger("amber.killLoop.rounds", 50);
    private static final long SEED = Long.getLong("amber.killLoop.seed", System.nanoTime());
    /** Running plus paused sandboxes at most, so that restarts stay quick. */
    private static final int MAX_LIVE = 3;
    private static final int MAX_KILL_DELAY_MS = 1500;
    private static final int MAX_SNAPSHOTS = 2;
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(30);

    private enum Operation { CREATE, WRITE, PAUSE, RESUME, SNAPSHOT, DELETE, DELETE_SNAPSHOT }

    @TempDir
    Path data;

    private final Random random = new Random(SEED);
    private final Acknowledged acknowledged = new Acknowledged();
    private AmberUp up;
    private Api api;
    private String key;
    /** Numbers the files and snapshots the loop makes. */
    private int serial;

    @Test
    void randomKillsDuringOperationsLeaveTheTruthAndLoseNothingAcknowledged() throws Exception {
        System.out.println("kill loop: " + ROUNDS + " rounds, seed " + SEED + " (-Damber.killLoop.seed to repeat)");
        up = AmberUp.start(data);
        int survived = 0;
        long restartMillis = 0;
        try {
            key = up.adminKey();
            api = new Api(up.url());
            awaitBaseSnapshot();
            DeploymentInvariants invariants = new DeploymentInvariants(data);
            for (int round = 1; round <= ROUNDS; round++) {
                Operation operation = choose();
                String target = prepare(operation);
                int delay = random.nextInt(MAX_KILL_DELAY_MS + 1);
                boolean completed = killDuring(operation, target, delay);
                restartMillis += restartAndSettle();
                String context = "round " + round + ": killed " + delay + " ms into " + operation + " " + target
                        + (completed ? " (after it completed)" : "");
                checkAcknowledged(completed ? null : target, context);
                invariants.check(api, key);
                survived++;
                System.out.println(context + "; invariants hold");
            }
            resumeEveryPausedSandbox();
            deleteEverything();
            invariants.check(api, key);
            assertThat(invariants.unaccountedQemus(Set.of())).as("QEMUs left").isEmpty();
        } finally {
            System.out.println("kills survived: " + survived + " (restart to settled: "
                    + (survived == 0 ? 0 : restartMillis / survived) + " ms on average)");
            up.cleanUp();
        }
    }

    /**
     * Runs the operation on another thread and kills `amber up` {@code delay} ms after it began;
     * returns whether the operation completed before. A failed check in it fails the test.
     */
    private boolean killDuring(Operation operation, String target, int delay) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean completed = new AtomicBoolean();
        Thread call = Thread.ofPlatform().name("kill-loop-call").start(() -> {
            try {
                run(operation, target);
                completed.set(true);
            } catch (IOException e) {
                // the connection broke: the server was killed during the call
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(delay);
        up.kill();
        call.join(Duration.ofSeconds(60));
        assertThat(call.isAlive()).as("the call still runs a minute after the kill").isFalse();
        if (failure.get() != null) {
            throw new AssertionError(operation + " " + target + ": " + failure.get().getMessage(), failure.get());
        }
        return completed.get();
    }

    /** Starts `amber up` again and waits until nothing is in a transitional state; returns how long that took. */
    private long restartAndSettle() throws Exception {
        long started = System.nanoTime();
        up.restart();
        api = new Api(up.url());
        await().atMost(SETTLE_DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> DeploymentInvariants.settled(api, key));
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** The first sandbox boots cold and has the host build its base snapshot: later ones restore from it. */
    private void awaitBaseSnapshot() throws Exception {
        create(Map.of(), "{}");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Stream<Path> files = Files.walk(data.resolve("base-snapshots"))) {
                return files.anyMatch(file -> file.getFileName().toString().equals("manifest.json"));
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Each operation possible now (or once {@link #prepare} made room) is equally likely. */
    private Operation choose() throws Exception {
        boolean room = acknowledged.sandboxes().size() < MAX_LIVE;
        boolean live = !acknowledged.sandboxes().isEmpty();
        boolean running = room || !acknowledged.in(State.RUNNING).isEmpty();
        Set<Operation> possible = EnumSet.noneOf(Operation.class);
        if (room) {
            possible.add(Operation.CREATE);
        }
        if (live || room) {
            possible.add(Operation.WRITE);
        }
        if (live) {
            possible.add(Operation.DELETE);
        }
        if (running) {
            possible.add(Operation.PAUSE);
        }
        if (running && acknowledged.snapshots().size() < MAX_SNAPSHOTS) {
            possible.add(Operation.SNAPSHOT);
        }
        if (room || !acknowledged.in(State.PAUSED).isEmpty()) {
            possible.add(Operation.RESUME);
        }
        if (!DeploymentInvariants.snapshots(api, key).isEmpty()) {
            possible.add(Operation.DELETE_SNAPSHOT);
        }
        List<Operation> choices = List.copyOf(possible);
        return choices.get(random.nextInt(choices.size()));
    }

    /**
     * Brings about, before the clock starts, what the operation needs (a running or a paused
     * sandbox); returns what it acts on: a sandbox id, a snapshot name (any, failed ones too), or
     * for a create the acknowledged snapshot to start from ("" for the default template).
     */
    private String prepare(Operation operation) throws Exception {
        return switch (operation) {
            case CREATE -> acknowledged.snapshots().isEmpty() || random.nextBoolean() ? ""
                    : pick(new ArrayList<>(acknowledged.snapshots().keySet()));
            case WRITE -> {
                Optional<Acknowledged.Sandbox> any = acknowledged.any(random);
                yield any.isPresent() ? any.get().id() : running().id();
            }
            case DELETE -> acknowledged.any(random).orElseThrow().id();
            case RESUME -> paused().id();
            case PAUSE, SNAPSHOT -> running().id();
            case DELETE_SNAPSHOT -> pick(DeploymentInvariants.snapshots(api, key).stream()
                    .map(snapshot -> snapshot.path("name").asText()).toList());
        };
    }

    private Acknowledged.Sandbox paused() throws Exception {
        Optional<Acknowledged.Sandbox> paused = acknowledged.any(State.PAUSED, random);
        if (paused.isPresent()) {
            return paused.get();
        }
        String id = running().id();
        move(id, "pause", State.PAUSED);
        return acknowledged.sandbox(id).orElseThrow();
    }

    private Acknowledged.Sandbox running() throws Exception {
        Optional<Acknowledged.Sandbox> running = acknowledged.any(State.RUNNING, random);
        if (running.isPresent()) {
            return running.get();
        }
        String id = create(Map.of(), "{}");
        return acknowledged.sandbox(id).orElseThrow();
    }

    private void run(Operation operation, String target) throws Exception {
        switch (operation) {
            case CREATE -> write(create(target.isEmpty() ? Map.of() : acknowledged.snapshots().get(target),
                    target.isEmpty() ? "{}" : "{\"snapshotId\": \"" + target + "\"}"));
            case WRITE -> write(target);
            case PAUSE -> move(target, "pause", State.PAUSED);
            case RESUME -> move(target, "resume", State.RUNNING);
            case SNAPSHOT -> snapshot(target);
            case DELETE -> {
                Api.Response deleted = api.call("DELETE", "/v1/sandboxes/" + target, key, null);
                assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
                acknowledged.gone(target);
            }
            case DELETE_SNAPSHOT -> deleteSnapshot(target);
        }
    }

    /** Creates a sandbox (holding {@code files}, those of the snapshot it starts from); returns its id. */
    private String create(Map<String, String> files, String body) throws Exception {
        Api.Response created = api.call("POST", "/v1/sandboxes", key, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        acknowledged.created(id, files);
        return id;
    }

    /**
     * One exec (resuming a paused sandbox) that reads every file acknowledged so far, which must be
     * intact, and writes a new one, synced to the disk.
     */
    private void write(String id) throws Exception {
        Map<String, String> files = acknowledged.sandbox(id).orElseThrow().files();
        String path = "/root/w" + (++serial);
        String content = "write " + serial + " of seed " + SEED;
        StringBuilder shell = new StringBuilder();
        files.keySet().forEach(file -> shell.append("cat ").append(file).append(" && "));
        shell.append("echo '").append(content).append("' > ").append(path).append(" && sync");
        Api.Response exec = api.call("POST", "/v1/sandboxes/" + id + "/exec", key,
                "{\"shell\": \"" + shell + "\"}");
        assertThat(exec.status()).as(exec.body()).isEqualTo(200);
        String expected = files.values().stream().map(text -> text + "\n").collect(Collectors.joining());
        assertThat(exec.json().path("exitCode").asInt()).as("exec in %s: %s", id, exec.body()).isZero();
        assertThat(exec.json().path("stdout").asText()).as("files acknowledged earlier in %s", id).isEqualTo(expected);
        acknowledged.wrote(id, path, content);
    }

    private void move(String id, String action, State state) throws Exception {
        Api.Response moved = api.call("POST", "/v1/sandboxes/" + id + "/" + action, key, null);
        assertThat(moved.status()).as("%s %s: %s", action, id, moved.body()).isEqualTo(200);
        acknowledged.moved(id, state);
    }

    private void snapshot(String id) throws Exception {
        String name = "kill-loop-" + (++serial);
        Map<String, String> files = acknowledged.sandbox(id).orElseThrow().files();
        Api.Response taken = api.call("POST", "/v1/sandboxes/" + id + "/snapshots", key, "{\"name\": \"" + name + "\"}");
        assertThat(taken.status()).as("snapshot of %s: %s", id, taken.body()).isEqualTo(201);
        acknowledged.snapshotted(name, files);
    }

    /** A snapshot still in use (its sandbox sits on it) cannot be deleted: a 409 changes nothing. */
    private void deleteSnapshot(String name) throws Exception {
        Api.Response deleted = api.call("DELETE", "/v1/snapshots/" + name, key, null);
        assertThat(deleted.status()).as("delete of %s: %s", name, deleted.body()).isIn(204, 409);
        if (deleted.status() == 204) {
            acknowledged.snapshotDeleted(name);
        }
    }

    /**
     * Compares what was acknowledged with what the restarted deployment says. {@code interrupted}
     * (null if none) is what the call in flight at the kill acted on: it may have ended either
     * way. Everything else must be as acknowledged: a paused sandbox stays paused; a running one
     * was killed with the host, so it is stopped; a snapshot is ready. A sandbox whose create was
     * never acknowledged must be stopped.
     */
    private void checkAcknowledged(String interrupted, String context) throws Exception {
        Map<String, JsonNode> actual = DeploymentInvariants.sandboxes(api, key);
        for (Acknowledged.Sandbox sandbox : acknowledged.sandboxes()) {
            JsonNode now = actual.get(sandbox.id());
            String state = now.path("state").asText();
            if (!sandbox.id().equals(interrupted)) {
                assertThat(state).as("%s: %s was acknowledged %s", context, now, sandbox.state())
                        .isEqualTo(sandbox.state() == State.PAUSED ? "paused" : "stopped");
            }
            switch (state) {
                case "paused" -> acknowledged.moved(sandbox.id(), State.PAUSED);
                case "running" -> acknowledged.moved(sandbox.id(), State.RUNNING);
                default -> acknowledged.gone(sandbox.id());
            }
        }
        List<String> unacknowledged = actual.values().stream()
                .filter(sandbox -> acknowledged.sandbox(sandbox.path("id").asText()).isEmpty())
                .filter(sandbox -> !sandbox.path("state").asText().equals("stopped"))
                .map(JsonNode::toString)
                .toList();
        assertThat(unacknowledged).as("%s: sandboxes neither acknowledged nor stopped", context).isEmpty();
        Map<String, String> snapshots = DeploymentInvariants.snapshots(api, key).stream()
                .collect(Collectors.toMap(snapshot -> snapshot.path("name").asText(),
                        snapshot -> snapshot.path("state").asText()));
        for (String name : acknowledged.snapshots().keySet()) {
            if (name.equals(interrupted)) {
                if (!"ready".equals(snapshots.get(name))) {
                    acknowledged.snapshotDeleted(name); // its deletion was interrupted: failed, to delete again
                }
                continue;
            }
            assertThat(snapshots.get(name)).as("%s: acknowledged snapshot %s", context, name).isEqualTo("ready");
        }
    }

    /** Every paused sandbox resumes (by a call into it) with every acknowledged file intact. */
    private void resumeEveryPausedSandbox() throws Exception {
        for (Acknowledged.Sandbox sandbox : acknowledged.in(State.PAUSED)) {
            write(sandbox.id());
        }
    }

    /** Deletes every sandbox and snapshot; no file and no QEMU may remain. */
    private void deleteEverything() throws Exception {
        for (JsonNode sandbox : DeploymentInvariants.sandboxes(api, key).values()) {
            Api.Response deleted = api.call("DELETE", "/v1/sandboxes/" + sandbox.path("id").asText(), key, null);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        }
        for (JsonNode snapshot : DeploymentInvariants.snapshots(api, key)) {
            Api.Response deleted = api.call("DELETE", "/v1/snapshots/" + snapshot.path("snapshotId").asText(), key, null);
            assertThat(deleted.status()).as(deleted.body()).isIn(204, 404); // 404: collected with its sandbox
        }
        assertThat(DeploymentInvariants.snapshots(api, key)).as("snapshots left").isEmpty();
    }

    private String pick(List<String> items) {
        return items.get(random.nextInt(items.size()));
    }
}

package dev.amber.server.replica;

import org.jdbi.v3.core.Jdbi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * This server process as one replica of the control plane: a row in {@code server_replicas}
 * renewed every {@link #RENEW_EVERY} while the process lives. Sandboxes, snapshots and builds
 * record the replica that moved them into their state; one left in a transitional state by a
 * replica whose row went silent for {@link #LEASE} (it died) was interrupted, and any live replica
 * settles it ({@link #gone}): the reconciler a sandbox, the build workers a build, and the
 * settlers given to {@link #settleLeftovers} (run on each renewal) the rest. A clean stop deletes
 * the row, and a replica that starts deletes the rows of dead processes on its own machine (a
 * restart after a crash, as `amber up` does), so that their leftovers are settled at once.
 */
public final class Replica implements AutoCloseable {

    /** How long a replica may stay silent before it counts as gone. */
    public static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(2);
    /** Rows of replicas silent for this long are deleted: nothing they left can still be in flight. */
    private static final Duration FORGET_AFTER = Duration.ofDays(1);
    private static final System.Logger LOG = System.getLogger("amber.replica");

    private final Jdbi jdbi;
    private final UUID id;
    private final String name;
    private final String machine;
    private final List<Runnable> settlers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("replica-lease").factory());

    private Replica(Jdbi jdbi, UUID id, String name, String machine) {
        this.jdbi = jdbi;
        this.id = id;
        this.name = name;
        this.machine = machine;
    }

    /** Enters this process as a new replica named {@code name} (for operators) and keeps its lease. */
    public static Replica join(Jdbi jdbi, String name) {
        Replica replica = new Replica(requireNonNull(jdbi, "jdbi"), UUID.randomUUID(), requireNonNull(name, "name"),
                machineName());
        replica.renew();
        replica.forgetDeadProcesses();
        replica.timer.scheduleWithFixedDelay(replica::renewQuietly, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return replica;
    }

    public UUID id() {
        return id;
    }

    /**
     * A SQL condition, true when the replica whose id is in {@code column} is gone (it has no row,
     * or its row went silent for the lease; a null id predates replicas, so it is gone too). The
     * database's clock decides, so that replicas' clocks need not agree.
     */
    public static String gone(String column) {
        return "not exists (select 1 from server_replicas r where r.id = " + column
                + " and r.seen_at > now() - interval '" + LEASE.toSeconds() + " seconds')";
    }

    /** Deletes the rows of replicas on this machine whose process is gone: nothing of theirs is in flight. */
    private void forgetDeadProcesses() {
        List<Long> pids = jdbi.withHandle(handle -> handle.createQuery(
                        "select pid from server_replicas where machine = :machine and id <> :id")
                .bind("machine", machine).bind("id", id).mapTo(Long.class).list());
        for (long pid : pids) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            int forgotten = jdbi.withHandle(handle -> handle.createUpdate(
                            "delete from server_replicas where machine = :machine and pid = :pid and id <> :id")
                    .bind("machine", machine).bind("pid", pid).bind("id", id).execute());
            LOG.log(System.Logger.Level.INFO, "replica {0}: the previous server process on this machine (pid {1}) is "
                    + "gone; settling what it left ({2} rows)", name, pid, forgotten);
        }
    }

    /** This machine's name, as replicas on it record it; empty when it has none. */
    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }

    /** Runs {@code settler}, which settles what gone replicas left of one kind, at each renewal from now on. */
    public void settleLeftovers(Runnable settler) {
        settlers.add(requireNonNull(settler, "settler"));
    }

    private void renewQuietly() {
        try {
            renew();
            settlers.forEach(Runnable::run);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "replica {0}: could not renew its lease or settle what gone replicas "
                    + "left: {1}", name, e.getMessage());
        }
    }

    /** Renews the row (making it again if a long pause let another replica forget it), and forgets long-dead ones. */
    private void renew() {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            insert into server_replicas (id, name, machine, pid) values (:id, :name, :machine, :pid)
                            on conflict (id) do update set seen_at = now()""")
                    .bind("id", id).bind("name", name).bind("machine", machine)
                    .bind("pid", ProcessHandle.current().pid()).execute();
            handle.createUpdate("delete from server_replicas where seen_at < now() - make_interval(secs => :forget)")
                    .bind("forget", FORGET_AFTER.toSeconds()).execute();
        });
    }

    /** Leaves: the row goes, and what this replica left in flight is settled by the others at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            jdbi.useHandle(handle -> handle.createUpdate("delete from server_replicas where id = :id").bind("id", id).execute());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not leave as replica {0}; the others wait for its lease to "
                    + "run out: {1}", name, e.getMessage());
        }
    }
}

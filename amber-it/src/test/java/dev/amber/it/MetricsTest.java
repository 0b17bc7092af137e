package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A sandbox's metrics as the host samples them (every 500 ms: CPU of its QEMU, QEMU's resident
 * memory, the bytes its disk overlay occupies), read through the API while it runs, after it is
 * paused, and after it is deleted. One sandbox, used in order: the CPU test needs it idle first.
 * Isolated: no other test class runs meanwhile, so a guest burning one CPU can have a host core
 * (on this 2-core machine another class's VMs would take it, and the figure with it).
 */
@Isolated
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024 * 1024;

    private TestDeployment amber;
    private Api api;
    private String key;
    private String sandbox;

    @BeforeAll
    void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "metrics-users");
        sandbox = api.newSandbox(key);
    }

    @AfterAll
    void stop() throws Exception {
        amber.close();
    }

    @Test
    @Order(1)
    void burningOneCpuShowsOneCoreWithinTwoSecondsAndDropsWhenItStops() throws Exception {
        List<JsonNode> idle = window(Duration.ofSeconds(3));
        double idleCpu = median(idle, point -> point.path("cpuPercent").asDouble());

        String pid = shell("nohup sh -c 'while :; do :; done' >/dev/null 2>&1 & echo $!").strip();
        long burning = System.currentTimeMillis();
        // within 2 s a point shows the load (the first one after the start may straddle it, half idle)
        JsonNode first = awaitPoint(point -> point.path("t").asLong() >= burning
                && point.path("cpuPercent").asDouble() > idleCpu + 40, Duration.ofSeconds(2));
        long qemu = Processes.qemuOf(amber.data().resolve("sandboxes").resolve(sandbox)).orElseThrow();
        Map<String, long[]> threadsBefore = schedulerStats(qemu);
        long windowStart = System.nanoTime();
        List<JsonNode> busy = window(Duration.ofSeconds(3));
        Map<String, long[]> threadsAfter = schedulerStats(qemu);
        double wall = System.nanoTime() - windowStart;
        long[] vcpu = busiestThread(threadsBefore, threadsAfter);
        double vcpuRunPercent = 100.0 * vcpu[0] / wall;
        double waitedPercent = 100.0 * vcpu[1] / wall;
        double kernelCpu = 100.0 * threadsAfter.entrySet().stream().mapToLong(thread -> thread.getValue()[0]
                - threadsBefore.getOrDefault(thread.getKey(), new long[2])[0]).sum() / wall;
        double meanCpu = busy.stream().mapToDouble(point -> point.path("cpuPercent").asDouble()).average().orElseThrow();
        double busyCpu = median(busy, point -> point.path("cpuPercent").asDouble());

        shell("kill " + pid);
        long stopped = System.currentTimeMillis();
        awaitPoint(point -> point.path("t").asLong() >= stopped + 1000, Duration.ofSeconds(5));
        List<JsonNode> after = window(Duration.ofSeconds(2));
        double afterCpu = median(after, point -> point.path("cpuPercent").asDouble());

        System.out.printf("MetricsTest cpu: idle p50 %.1f %%, burning p50 %.1f %% mean %.1f %% (kernel schedstat:"
                        + " QEMU %.1f %%, its vCPU thread ran %.1f %% and waited %.1f %% for a host CPU; first busy point %d"
                        + " ms after the loop started: %.1f %%), after p50 %.1f %%; burning %s%n",
                idleCpu, busyCpu, meanCpu, kernelCpu, vcpuRunPercent, waitedPercent, first.path("t").asLong() - burning,
                first.path("cpuPercent").asDouble(), afterCpu, cpuValues(busy));
        // The figure is what the kernel counts for QEMU over the same window...
        assertThat(meanCpu).isCloseTo(kernelCpu, within(15.0));
        // ...and the guest's loop demanded one full core: its vCPU thread was always running or
        // waiting for a core that other processes on this shared 2-core machine held.
        assertThat(vcpuRunPercent + waitedPercent).isBetween(85.0, 115.0);
        if (waitedPercent < 10) { // a machine with a core to spare: the figure itself is one core
            assertThat(busyCpu).isBetween(85.0, 115.0);
        }
        assertThat(busyCpu - idleCpu).isGreaterThan(40.0);
        assertThat(afterCpu).isLessThan(busyCpu - 30);
    }

    @Test
    @Order(2)
    void allocatingTwoHundredMibInTheGuestRaisesResidentMemory() throws Exception {
        long before = (long) median(window(Duration.ofSeconds(2)), point -> point.path("memoryBytes").asDouble());
        shell("nohup python3 -c 'import time; b = b\"\\x01\" * (200 << 20); open(\"/tmp/allocated\", \"w\").close();"
                + " time.sleep(600)' >/dev/null 2>&1 & for i in $(seq 100); do [ -e /tmp/allocated ] && exit 0;"
                + " sleep 0.1; done; exit 1");
        JsonNode raised = awaitPoint(point -> point.path("memoryBytes").asLong() >= before + 180 * MIB,
                Duration.ofSeconds(5));
        System.out.printf("MetricsTest memory: %d MiB before, %d MiB holding 200 MiB%n", before / MIB,
                raised.path("memoryBytes").asLong() / MIB);
    }

    @Test
    @Order(3)
    void writtenBytesCountOnDiskButASparseFileDoesNot() throws Exception {
        long before = (long) median(window(Duration.ofSeconds(1)), point -> point.path("diskBytes").asDouble());
        shell("truncate -s 1G /root/sparse && dd if=/dev/urandom of=/root/f bs=1M count=100 conv=fsync 2>/dev/null"
                + " && sync");
        long written = System.currentTimeMillis();
        awaitPoint(point -> point.path("t").asLong() >= written + 500, Duration.ofSeconds(5));
        long after = last(points("10m")).path("diskBytes").asLong();
        System.out.printf("MetricsTest disk: %d MiB before, %d MiB after 100 MiB written and a 1 GiB sparse file%n",
                before / MIB, after / MIB);
        assertThat(after - before).isBetween(85 * MIB, 115 * MIB);
    }

    @Test
    @Order(4)
    void aPausedSandboxStillServesItsHistoryUpToThePause() throws Exception {
        List<JsonNode> running = points("10m");
        Api.Response paused = api.call("POST", "/v1/sandboxes/" + sandbox + "/pause", key, null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);

        Api.Response afterPause = api.call("GET", "/v1/sandboxes/" + sandbox + "/metrics?range=10m", key, null);
        assertThat(afterPause.status()).as(afterPause.body()).isEqualTo(200);
        assertThat(afterPause.json().path("intervalMs").asLong()).isEqualTo(500);
        List<JsonNode> kept = list(afterPause.json().path("points"));
        assertThat(kept.size()).isGreaterThanOrEqualTo(running.size());
        assertThat(last(kept).path("t").asLong()).isGreaterThanOrEqualTo(last(running).path("t").asLong());
        assertThat(kept).anyMatch(point -> point.path("cpuPercent").asDouble() >= 85); // the burning loop
        Thread.sleep(1500);
        assertThat(list(api.call("GET", "/v1/sandboxes/" + sandbox + "/metrics?range=10m", key, null).json()
                .path("points"))).hasSameSizeAs(kept); // nothing sampled while paused
        assertThat(points("2h")).isNotEmpty();
        assertThat(points("24h")).isNotEmpty();
    }

    @Test
    @Order(5)
    void aDeletedSandboxKeepsOnlyItsDayOfMetrics() throws Exception {
        assertThat(api.call("DELETE", "/v1/sandboxes/" + sandbox, key, null).status()).isEqualTo(204);
        Api.Response day = api.call("GET", "/v1/sandboxes/" + sandbox + "/metrics?range=24h", key, null);
        assertThat(day.status()).as(day.body()).isEqualTo(200);
        assertThat(day.json().path("intervalMs").asLong()).isEqualTo(300_000);
        assertThat(list(day.json().path("points"))).isNotEmpty();
        assertThat(points("10m")).isEmpty();
    }

    @Test
    void badRangeIs400NamingTheValidOnesAndOtherTeamsSee404() throws Exception {
        Api.Response bad = api.call("GET", "/v1/sandboxes/" + sandbox + "/metrics?range=1w", key, null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorMessage()).contains("10m", "2h", "24h");
        String otherTeam = api.newTeam(amber.adminKey(), "metrics-others");
        assertThat(api.call("GET", "/v1/sandboxes/" + sandbox + "/metrics?range=10m", otherTeam, null).status())
                .isEqualTo(404);
        assertThat(api.call("GET", "/v1/sandboxes/sb-00000000-0000-0000-0000-000000000000/metrics", key, null).status())
                .isEqualTo(404);
    }

    private List<JsonNode> points(String range) throws Exception {
        Api.Response response = api.call("GET", "/v1/sandboxes/" + sandbox + "/metrics?range=" + range, key, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("range").asText()).isEqualTo(range);
        return list(response.json().path("points"));
    }

    /** The points sampled from now on for {@code length}. */
    private List<JsonNode> window(Duration length) throws Exception {
        long from = System.currentTimeMillis();
        Thread.sleep(length.toMillis() + 600);
        List<JsonNode> window = points("10m").stream()
                .filter(point -> point.path("t").asLong() >= from && point.path("t").asLong() < from + length.toMillis())
                .toList();
        assertThat(window).as("samples over " + length).hasSizeGreaterThanOrEqualTo((int) (length.toMillis() / 500) - 2);
        return window;
    }

    private JsonNode awaitPoint(Predicate<JsonNode> wanted, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<JsonNode> seen;
        do {
            seen = points("10m");
            for (JsonNode point : seen) {
                if (wanted.test(point)) {
                    return point;
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no such point within " + within + "; last points: "
                + seen.subList(Math.max(0, seen.size() - 8), seen.size()));
    }

    private String shell(String command) throws Exception {
        Api.Response run = api.call("POST", "/v1/sandboxes/" + sandbox + "/exec", key,
                JSON.writeValueAsString(Map.of("shell", command)));
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("exitCode").asInt()).as(run.body()).isZero();
        return run.json().path("stdout").asText();
    }

    /** Per thread of a process: nanoseconds on a CPU, and runnable but waiting for one (/proc schedstat). */
    private static Map<String, long[]> schedulerStats(long pid) throws IOException {
        Map<String, long[]> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ");
                threads.put(task.getFileName().toString(), new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])});
            }
        }
        return threads;
    }

    /** Run and wait nanoseconds of the thread that ran most between two readings (the burning vCPU's). */
    private static long[] busiestThread(Map<String, long[]> before, Map<String, long[]> after) {
        String busiest = null;
        long mostRun = -1;
        for (Map.Entry<String, long[]> thread : after.entrySet()) {
            long[] earlier = before.getOrDefault(thread.getKey(), new long[2]);
            long run = thread.getValue()[0] - earlier[0];
            if (run > mostRun) {
                mostRun = run;
                busiest = thread.getKey();
            }
        }
        return new long[] {mostRun, after.get(busiest)[1] - before.getOrDefault(busiest, new long[2])[1]};
    }

    private static double median(List<JsonNode> points, ToDoubleFunction<JsonNode> value) {
        double[] sorted = points.stream().mapToDouble(value).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String cpuValues(List<JsonNode> points) {
        return points.stream().map(point -> String.format("%.0f", point.path("cpuPercent").asDouble())).toList().toString();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> points = new ArrayList<>();
        array.forEach(points::add);
        return points;
    }

    private static JsonNode last(List<JsonNode> points) {
        return points.getLast();
    }
}

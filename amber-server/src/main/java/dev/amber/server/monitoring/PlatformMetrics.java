package dev.amber.server.monitoring;

import dev.amber.api.host.HostLoad;
import dev.amber.server.Ids;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.template.BuildRepository;
import dev.amber.server.template.BuildStatus;
import dev.amber.server.sandbox.SandboxState;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What operators scrape at {@code GET /metrics} (Prometheus text format): API requests (rate and
 * latency by method, route and status), sandbox state changes (duration histograms: creates,
 * pauses, resumes, snapshots, restores, recorded by the transitions), sandboxes by state, and each
 * connected host's capacity and load. The gauges are read from the database and the hosts when
 * scraped, so they are never stale.
 */
public final class PlatformMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SandboxRepository sandboxes;
    private final HostDirectory hosts;
    private final MultiGauge sandboxesByState;
    private final BuildRepository builds;
    private final MultiGauge buildsByStatus;
    private final Map<String, ToDoubleFunction<HostLoad>> hostFigures = Map.of(
            "amber.host.cpu.count", HostLoad::cpuCount,
            "amber.host.cpu.percent", HostLoad::cpuPercent,
            "amber.host.memory.total.bytes", HostLoad::memoryTotalBytes,
            "amber.host.memory.available.bytes", HostLoad::memoryAvailableBytes,
            "amber.host.disk.total.bytes", HostLoad::diskTotalBytes,
            "amber.host.disk.free.bytes", HostLoad::diskFreeBytes);
    private final Map<String, MultiGauge> hostGauges;

    public PlatformMetrics(SandboxRepository sandboxes, BuildRepository builds, HostDirectory hosts) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.builds = requireNonNull(builds, "builds");
        this.buildsByStatus = MultiGauge.builder("amber.builds").description("template builds by status, all teams")
                .register(registry);
        this.hosts = requireNonNull(hosts, "hosts");
        this.sandboxesByState = MultiGauge.builder("amber.sandboxes").description("sandboxes by state, all teams")
                .register(registry);
        this.hostGauges = hostFigures.keySet().stream().collect(Collectors.toMap(name -> name,
                name -> MultiGauge.builder(name).description("per connected host").register(registry)));
    }

    /** Where the rest of the server records its own figures. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A finished API request (Javalin's request logger): by method, route template and status. */
    public void recordRequest(Context ctx, Float millis) {
        Timer.builder("amber.http.requests").description("API requests")
                .tags("method", ctx.method().name(), "route", route(ctx), "status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    /** The text to serve: gauges refreshed first. */
    public synchronized String scrape() {
        Map<SandboxState, Integer> counts = sandboxes.countByState();
        sandboxesByState.register(Arrays.stream(SandboxState.values())
                .map(state -> MultiGauge.Row.of(Tags.of("state", state.wireName()), counts.getOrDefault(state, 0)))
                .toList(), true);
        Map<BuildStatus, Integer> buildCounts = builds.countByStatus();
        buildsByStatus.register(Arrays.stream(BuildStatus.values())
                .map(status -> MultiGauge.Row.of(Tags.of("status", status.wireName()), buildCounts.getOrDefault(status, 0)))
                .toList(), true);
        Map<UUID, HostLoad> loads = new HashMap<>();
        for (UUID host : hosts.connected()) {
            hosts.load(host).ifPresent(load -> loads.put(host, load));
        }
        hostFigures.forEach((name, figure) -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            loads.forEach((host, load) -> rows.add(MultiGauge.Row.of(Tags.of("host", Ids.HOST.format(host)),
                    figure.applyAsDouble(load))));
            hostGauges.get(name).register(rows, true);
        });
        return registry.scrape();
    }

    /** The route template, so that ids do not make a time series each. */
    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}

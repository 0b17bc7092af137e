package dev.amber.server.template;

import dev.amber.server.audit.AuditLog;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.sandbox.FreedStorage;
import dev.amber.server.sandbox.SandboxLimits;
import dev.amber.server.sandbox.SandboxService;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.server.snapshot.SnapshotService;
import org.jdbi.v3.core.Jdbi;

/** The template side of the server put together: the API's service and the build workers it feeds. */
public record Templates(TemplateService service, BuildWorkers workers) implements AutoCloseable {

    public static Templates start(Jdbi jdbi, BuildRepository builds, TemplateRepository templates, SandboxSources sources,
                                  SandboxService sandboxes, SnapshotService snapshots, SnapshotRepository snapshotRecords,
                                  AuditLog audit, HostDirectory hosts, SandboxLimits limits, int workerCount,
                                  ImageRelease images, FreedStorage freed) {
        BuildRunner runner = new BuildRunner(builds, templates, new LayerCache(jdbi, builds), sources, sandboxes,
                snapshots, snapshotRecords, hosts, new BuildOutcomes(builds, templates, snapshotRecords, hosts, images));
        BuildWorkers workers = new BuildWorkers(builds, runner, workerCount);
        workers.start();
        return new Templates(new TemplateService(templates, builds, new RecipeChecker(limits), workers, images, freed,
                audit),
                workers);
    }

    @Override
    public void close() {
        workers.close();
    }
}

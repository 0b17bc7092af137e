package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.snapshot.BaseSnapshots;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The runtime's sandboxes as base snapshots use them: offline templates, booted, snapshotted and thrown away. */
final class BaseTemplates implements BaseSnapshots.Templates {

    private final SandboxRuntime runtime;
    private final SandboxSaves saves;

    BaseTemplates(SandboxRuntime runtime, SandboxSaves saves) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.saves = requireNonNull(saves, "saves");
    }

    @Override
    public void boot(String templateId, MachineResources resources) throws IOException {
        Sandbox template = runtime.create(new SandboxSpec(templateId, resources, NetworkPolicy.OFFLINE));
        template.agent().run(ExecCommand.shell("true"), null);
    }

    @Override
    public void snapshot(String templateId, Layout.SnapshotPaths target) throws IOException {
        saves.snapshot(runtime.find(templateId).orElseThrow(
                () -> new SandboxNotFoundException("no template sandbox " + templateId)), target);
    }

    @Override
    public void destroy(String templateId) throws IOException {
        if (runtime.find(templateId).isPresent()) {
            runtime.destroy(templateId);
        }
    }
}

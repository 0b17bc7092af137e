package dev.amber.cli.sandbox;

import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code amber sandbox create}: boots a sandbox or starts one from a snapshot, and prints its id for scripts. */
@Command(name = "create", description = "Create a sandbox, from a template or a snapshot, and print its id once it runs.")
final class CreateSandboxCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--template", paramLabel = "NAME", description = "Template to boot (default: the server's default).")
    String template;

    @Option(names = "--snapshot", paramLabel = "ID|NAME",
            description = "Start from this snapshot, where its sandbox was, with its vCPUs and memory.")
    String snapshot;

    @Option(names = "--vcpus", paramLabel = "N", description = "Virtual CPUs (default: the template's).")
    Integer vcpus;

    @Option(names = "--memory-mb", paramLabel = "MB", description = "Memory in MiB (default: the template's).")
    Integer memoryMb;

    @Option(names = "--disk-mb", paramLabel = "MB", description = "Disk size in MiB (default: 5120).")
    Long diskMb;

    @Option(names = "--host", paramLabel = "HOST_ID",
            description = "Run it on this host (an admin: any host; a team: one of its own hosts).")
    String host;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata to tag the sandbox with; repeatable.")
    Map<String, String> metadata;

    @Override
    public Integer call() {
        if (snapshot != null && (template != null || vcpus != null || memoryMb != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--snapshot takes the template, vCPUs and memory from the snapshot: leave out --template, "
                            + "--vcpus and --memory-mb");
        }
        try (Amber amber = connection.connect()) {
            CreateSandboxRequest.Builder request = CreateSandboxRequest.builder().vcpus(vcpus).memoryMb(memoryMb)
                    .diskSizeMb(diskMb).metadata(metadata).onHost(host);
            if (template != null) {
                request.fromTemplate(template);
            }
            if (snapshot != null) {
                // The request takes a snapshot's id; people remember its name.
                request.fromSnapshot(amber.snapshots().get(snapshot).id());
            }
            Sandbox sandbox = amber.sandboxes().create(request.build());
            spec.commandLine().getOut().println(sandbox.id());
        }
        return 0;
    }
}

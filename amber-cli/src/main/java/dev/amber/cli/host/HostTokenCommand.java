package dev.amber.cli.host;

import dev.amber.api.host.CreatedJoinToken;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code amber host token}: prints a single-use join token for a new host. */
@Command(name = "token", description = {
        "Make a single-use token a new host joins the cluster with (admins; with --team, a team that may bring its own hosts).",
        "It is shown this once and carries the cluster CA's fingerprint, so the host sends it to no other server."})
final class HostTokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--ttl", paramLabel = "SEC", defaultValue = "3600",
            description = "How long the token stays valid, in seconds (default: ${DEFAULT-VALUE}; at most 604800, 7 days).")
    int ttlSec;

    @Option(names = "--team", description = "A host of the API key's team, which takes only that team's sandboxes.")
    boolean team;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            Duration ttl = Duration.ofSeconds(ttlSec);
            CreatedJoinToken token = team ? amber.hosts().createTeamJoinToken(ttl) : amber.hosts().createJoinToken(ttl);
            spec.commandLine().getOut().println(token.token());
            spec.commandLine().getErr().println("valid until " + token.expiresAt() + "; use it once: amber host join");
        }
        return 0;
    }
}

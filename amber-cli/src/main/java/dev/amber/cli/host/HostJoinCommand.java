package dev.amber.cli.host;

import dev.amber.cli.up.DeploymentSettings;
import dev.amber.cli.up.Foreground;
import dev.amber.cli.up.HostNode;
import dev.amber.host.Layout;
import dev.amber.host.join.HostIdentity;
import dev.amber.host.join.JoinClient;
import dev.amber.host.sandbox.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `amber host join`: this machine's sandbox runtime, registered with the control plane at
 * {@code --server} (with every replica listed there) until stopped (a stop pauses its running sandboxes; the next start resumes them).
 * The first start exchanges the join token for this host's certificate, kept under AMBER_DATA; later
 * starts need no token and come back as the same host.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = "Run sandboxes on this machine for the Amber server at --server (Ctrl-C or SIGTERM stops; "
                + "running sandboxes are paused and resumed by the next start).")
final class HostJoinCommand implements Callable<Integer> {

    @Option(names = "--server", defaultValue = "${env:AMBER_SERVER}", split = ",", paramLabel = "HOST:PORT",
            converter = LinkAddress.class,
            description = "host:port of the server's link port (AMBER_GRPC_PORT there, 7071); with server replicas, "
                    + "list each replica's, separated by commas; env AMBER_SERVER")
    List<String> servers;

    @Option(names = "--token", defaultValue = "${env:AMBER_JOIN_TOKEN}",
            description = "join token from 'amber host token' (the first start only); env AMBER_JOIN_TOKEN")
    String token;

    @Option(names = "--address", defaultValue = "${env:AMBER_HOST_ADDRESS}",
            description = "address the server reaches this host at (default: this machine's address toward the "
                    + "server); env AMBER_HOST_ADDRESS")
    String address;

    @Option(names = "--name", defaultValue = "${env:AMBER_HOST_NAME}",
            description = "name of this host on the server (default: the machine's host name); env AMBER_HOST_NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        Foreground.configureLogging();
        if (servers == null || servers.isEmpty()) {
            System.err.println("amber: say which server to join: --server host:port (or AMBER_SERVER)");
            return 2;
        }
        Map<String, String> env = System.getenv();
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(env);
        if (settings.hostPort() == 0) {
            System.err.println("amber: a joined host listens on a fixed port: set AMBER_HOST_PORT to one (default 7072)");
            return 2;
        }
        HostNode.Endpoint endpoint = new HostNode.Endpoint(
                new InetSocketAddress(settings.bindHost(), settings.hostPort()),
                address == null || address.isBlank() ? addressToward(servers.getFirst()) : address,
                name == null || name.isBlank() ? InetAddress.getLocalHost().getHostName() : name);
        Layout layout = Layout.fromEnvironment();
        HostIdentity identity;
        if (HostIdentity.exists(layout.hostIdentity())) {
            identity = HostIdentity.load(layout.hostIdentity());
        } else if (token == null || token.isBlank()) {
            System.err.println("amber: this host has not joined yet: give the join token from 'amber host token' "
                    + "with --token (or AMBER_JOIN_TOKEN)");
            return 2;
        } else {
            try {
                identity = JoinClient.join(servers, token, endpoint.name(),
                        endpoint.advertisedHost() + ":" + settings.hostPort(), layout.hostIdentity());
            } catch (JoinClient.RefusedException e) {
                System.err.println("amber: " + e.getMessage());
                return 1;
            }
        }
        try (HostNode host = HostNode.start(layout,
                RuntimeOptions.defaults().withPrestartedMachines(settings.prestartedMachines()), endpoint, servers,
                identity.credentials(), settings.store())) {
            System.out.printf("amber: host %s (%s) serving at %s for the server at %s; accelerator %s (%s)%n",
                    endpoint.name(), host.hostId(), endpoint.advertisedHost(), String.join(", ", servers),
                    host.runtime().accelerator().lowerName(), host.runtime().acceleratorReason());
            Foreground.awaitStop();
            System.out.println("amber: stopping (running sandboxes are paused first, and resumed by the next start)");
        }
        return 0;
    }

    /**
     * The address of this machine's interface on the route to {@code server}: connecting a UDP
     * socket picks it without sending anything.
     */
    private static String addressToward(String server) throws IOException {
        int colon = server.lastIndexOf(':');
        String host = colon > 0 ? server.substring(0, colon) : server;
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName(host), 9));
            return probe.getLocalAddress().getHostAddress();
        }
    }
}

package dev.amber.server.monitoring;

import dev.amber.server.Ids;
import dev.amber.server.auth.Authenticator;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostRepository;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;

import static java.util.Objects.requireNonNull;

/**
 * {@code /v1/hosts}: the machines that run sandboxes, their accelerator, and their capacity and load
 * asked of each connected host as the list is made (admins only).
 */
public final class HostRoutes {

    private final HostRepository hosts;
    private final HostDirectory directory;

    public HostRoutes(HostRepository hosts, HostDirectory directory) {
        this.hosts = requireNonNull(hosts, "hosts");
        this.directory = requireNonNull(directory, "directory");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/hosts", ctx -> {
            Authenticator.requireAdmin(Requests.caller(ctx));
            Requests.PageRequest page = Requests.page(ctx);
            ctx.json(page.toPage(hosts.list().stream().skip(page.offset()).limit(page.limitPlusOne())
                    .map(host -> Ids.HOST.parse(host.id()).flatMap(directory::load).map(host::withLoad).orElse(host))
                    .toList()));
        });
    }
}

package dev.amber.server.host;

import dev.amber.server.auth.Authenticator;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;

import static java.util.Objects.requireNonNull;

/** {@code /v1/hosts}: the machines that run sandboxes, their accelerator and load (admins only). */
public final class HostRoutes {

    private final HostRepository hosts;

    public HostRoutes(HostRepository hosts) {
        this.hosts = requireNonNull(hosts, "hosts");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/hosts", ctx -> {
            Authenticator.requireAdmin(Requests.caller(ctx));
            Requests.PageRequest page = Requests.page(ctx);
            ctx.json(page.toPage(hosts.list().stream().skip(page.offset()).limit(page.limitPlusOne()).toList()));
        });
    }
}

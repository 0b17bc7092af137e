package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.api.team.ApiKeyView;
import dev.amber.api.team.CreateApiKeyRequest;
import dev.amber.api.team.CreatedApiKey;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The team's API keys. */
public final class ApiKeys {

    private final Transport transport;

    ApiKeys(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    /** A new key; its {@code secret} is in this answer only, so keep it now. */
    public CreatedApiKey create(String name) {
        return transport.post(Endpoints.API_KEYS, new CreateApiKeyRequest(requireNonNull(name, "name")),
                CreatedApiKey.class, transport.options().requestTimeout());
    }

    /** Every key of the team, all pages; secrets are never listed. */
    public List<ApiKeyView> list() {
        Query query = Query.empty().with("pageSize", Page.MAX_SIZE);
        return Pages.all(page -> transport.getPage(Endpoints.API_KEYS, query.with("page", page), ApiKeyView.class));
    }

    /** Revokes the key: calls made with it fail from now on. */
    public void delete(String id) {
        transport.delete(Endpoints.apiKey(id), Query.empty());
    }
}

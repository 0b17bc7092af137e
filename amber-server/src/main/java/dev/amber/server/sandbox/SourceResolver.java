package dev.amber.server.sandbox;

import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.server.auth.Caller;

/**
 * Finds the source a create request names (a template, a snapshot), checked, with the resources it
 * dictates or allows. Implemented where templates and snapshots are known, so sandboxes need not know them.
 */
@FunctionalInterface
public interface SourceResolver {

    /** The request's one source; a 4xx {@link dev.amber.api.error.ApiException} naming what is wrong otherwise. */
    Source resolve(Caller caller, CreateSandboxRequest request);
}

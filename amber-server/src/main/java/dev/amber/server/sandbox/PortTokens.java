package dev.amber.server.sandbox;

import dev.amber.server.auth.ApiKeySecrets;

import java.security.MessageDigest;

import static java.util.Objects.requireNonNull;

/**
 * Port tokens: what a request by host name must carry to reach a sandbox whose ports are not
 * public. One is issued when a sandbox starts with private ports or its ports become private;
 * it is shown once and stored as SHA-256, like an API key.
 */
public final class PortTokens {

    private static final String PREFIX = "amp_";

    private final SandboxRepository sandboxes;

    PortTokens(SandboxRepository sandboxes) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
    }

    /** A new token for the sandbox; an earlier one stops working. */
    String issue(SandboxRecord sandbox) {
        String token = ApiKeySecrets.generate(PREFIX);
        sandboxes.setPortTokenHash(sandbox.id(), ApiKeySecrets.hash(token));
        return token;
    }

    /** Whether a request by host name carrying {@code presented} (null: none) may reach the sandbox's ports. */
    public static boolean admits(SandboxRecord sandbox, String presented) {
        return sandbox.network().portsArePublic() || (presented != null && sandbox.portTokenHash() != null
                && MessageDigest.isEqual(ApiKeySecrets.hash(presented), sandbox.portTokenHash()));
    }
}

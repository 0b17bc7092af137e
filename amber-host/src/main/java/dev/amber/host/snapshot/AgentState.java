package dev.amber.host.snapshot;

import dev.amber.host.agent.AgentClient;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The guest agent component of a snapshot: what the agent reported when it connected (version,
 * JVM start-up time, kernel), kept for the record. Restoring it reconnects to a guest whose clock
 * jumped while it was saved, whose entropy is a copy (clones of one snapshot must never share
 * random numbers) and whose name is the snapshot's: {@link #refresh} sets all three.
 */
public record AgentState(Map<String, String> guestInfo) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public AgentState {
        guestInfo = Map.copyOf(guestInfo);
    }

    /** The agent's version as it said it in its hello ("unknown" if it did not). */
    String agentVersion() {
        return guestInfo.getOrDefault("agentVersion", "unknown");
    }

    /** The clock, fresh entropy and the machine's own hostname, told to a restored guest. */
    static void refresh(AgentClient agent, String hostname) throws IOException {
        agent.setClock(System.currentTimeMillis());
        byte[] entropy = new byte[64];
        RANDOM.nextBytes(entropy);
        agent.reseed(entropy);
        agent.setHostname(hostname);
    }
}

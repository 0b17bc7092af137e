package dev.amber.api.sandbox;

import java.util.List;
import java.util.Map;

/** {@code POST /v1/sandboxes/{id}/exec}: exactly one of {@code cmd} (argv) and {@code shell}. */
public record ExecRequest(
        List<String> cmd,
        String shell,
        Map<String, String> env,
        String cwd,
        String user,
        String stdin,
        Integer timeoutSec) {}

package dev.amber.sdk;

/** Every API path the client calls, built here from encoded ids rather than at call sites. */
final class Endpoints {

    static final String SANDBOXES = "/v1/sandboxes";
    static final String MY_TEAM = "/v1/teams/me";
    static final String API_KEYS = "/v1/api-keys";
    static final String PLATFORM_HOST_TOKENS = "/v1/admin/hosts/tokens";
    static final String TEAM_HOST_TOKENS = "/v1/hosts/tokens";
    static final String SNAPSHOTS = "/v1/snapshots";
    static final String TEMPLATES = "/v1/templates";
    static final String BUILDS = "/v1/builds";

    private Endpoints() {}

    static String sandbox(String id) {
        return SANDBOXES + "/" + segment(id);
    }

    static String exec(String sandboxId) {
        return sandbox(sandboxId) + "/exec";
    }

    static String execStream(String sandboxId) {
        return sandbox(sandboxId) + "/exec/stream";
    }

    static String terminal(String sandboxId) {
        return sandbox(sandboxId) + "/pty";
    }

    static String processes(String sandboxId) {
        return sandbox(sandboxId) + "/processes";
    }

    static String processStream(String sandboxId, long pid) {
        return processes(sandboxId) + "/" + pid + "/stream";
    }

    static String processSignal(String sandboxId, long pid) {
        return processes(sandboxId) + "/" + pid + "/signal";
    }

    static String files(String sandboxId) {
        return sandbox(sandboxId) + "/files";
    }

    static String fileList(String sandboxId) {
        return files(sandboxId) + "/list";
    }

    static String fileStat(String sandboxId) {
        return files(sandboxId) + "/stat";
    }

    static String mkdir(String sandboxId) {
        return files(sandboxId) + "/mkdir";
    }

    static String move(String sandboxId) {
        return files(sandboxId) + "/move";
    }

    static String ping(String sandboxId) {
        return sandbox(sandboxId) + "/ping";
    }

    static String pause(String sandboxId) {
        return sandbox(sandboxId) + "/pause";
    }

    static String resume(String sandboxId) {
        return sandbox(sandboxId) + "/resume";
    }

    static String metrics(String sandboxId) {
        return sandbox(sandboxId) + "/metrics";
    }

    static String checkpoints(String sandboxId) {
        return sandbox(sandboxId) + "/checkpoints";
    }

    static String restore(String sandboxId, String checkpointId) {
        return checkpoints(sandboxId) + "/" + segment(checkpointId) + "/restore";
    }

    static String fork(String sandboxId) {
        return sandbox(sandboxId) + "/fork";
    }

    /** Where a sandbox's named snapshots are taken; they are read and deleted at {@link #snapshot}. */
    static String snapshotsOf(String sandboxId) {
        return sandbox(sandboxId) + "/snapshots";
    }

    static String snapshot(String idOrName) {
        return SNAPSHOTS + "/" + segment(idOrName);
    }

    static String patches(String snapshotIdOrName) {
        return snapshot(snapshotIdOrName) + "/patches";
    }

    static String patch(String snapshotIdOrName, int sequence) {
        return patches(snapshotIdOrName) + "/" + sequence;
    }

    static String template(String name) {
        return TEMPLATES + "/" + segment(name);
    }

    static String build(String id) {
        return BUILDS + "/" + segment(id);
    }

    static String buildLogs(String id) {
        return build(id) + "/logs";
    }

    static String cancelBuild(String id) {
        return build(id) + "/cancel";
    }

    static String apiKey(String id) {
        return API_KEYS + "/" + segment(id);
    }

    private static String segment(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        return Query.encode(id);
    }
}

package dev.amber.sdk;

/** Every API path the client calls, built here from encoded ids rather than at call sites. */
final class Endpoints {

    static final String SANDBOXES = "/v1/sandboxes";
    static final String MY_TEAM = "/v1/teams/me";
    static final String API_KEYS = "/v1/api-keys";

    private Endpoints() {}

    static String sandbox(String id) {
        return SANDBOXES + "/" + segment(id);
    }

    static String exec(String sandboxId) {
        return sandbox(sandboxId) + "/exec";
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

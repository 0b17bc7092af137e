package dev.amber.cli;

import dev.amber.sdk.Amber;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --url} and {@code --api-key}, for every command that talks to a server: mix it in. */
public final class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:AMBER_URL:-http://localhost:7070}",
            description = "The Amber server (default: $AMBER_URL, else http://localhost:7070).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "The API key (default: $AMBER_API_KEY, else the contents of $AMBER_HOME/admin.key, "
                    + "AMBER_HOME defaulting to ~/.amber). Prefer the environment: arguments are visible to other users.")
    String apiKey;

    /** A client for the chosen server; the caller closes it. */
    public Amber connect() {
        return Amber.connect(url, apiKey());
    }

    private String apiKey() {
        if (apiKey != null) {
            return apiKey;
        }
        ApiKeyLocator locator = ApiKeyLocator.fromSystem();
        return locator.find().orElseThrow(() -> new ParameterException(command.commandLine(),
                "no API key: pass --api-key, set " + ApiKeyLocator.KEY_VARIABLE + ", or put one in "
                        + locator.keyFile()));
    }
}

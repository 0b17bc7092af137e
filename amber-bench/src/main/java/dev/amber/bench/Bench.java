package dev.amber.bench;

import dev.amber.cli.up.DeploymentSettings;
import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.Layout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Amber's benchmarks: figures, printed and written as JSON, each beside a baseline measured in
 * the same run. Not tests: nothing here passes or fails on a number.
 * <pre>./amber bench [--suite all|foundation|api] [--boots N] [--execs N] [--megabytes N] [--creates N]
 *                    [--concurrent N] [--out FILE]</pre>
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Options options = new Options(List.of(args));
        String suite = options.text("--suite", "all");
        Report report = new Report();
        Path data = Files.createTempDirectory(Path.of("/tmp"), "amber-bench");
        Layout layout = new Layout(Layout.fromEnvironment().home(), data);
        try (LocalDeployment deployment = LocalDeployment.start(layout, DeploymentSettings.forTests(null, null, null))) {
            report.context("accelerator", deployment.runtime().accelerator().lowerName() + " ("
                    + deployment.runtime().acceleratorReason() + ")");
            report.context("guest image", deployment.runtime().image().key());
            if (suite.equals("all") || suite.equals("foundation")) {
                new FoundationBench(deployment.runtime(), report).run(options);
            }
            if (suite.equals("all") || suite.equals("api")) {
                new ApiBench(deployment, Files.readString(layout.adminKey()).strip(), report).run(options);
            }
        }
        report.write(Path.of(options.text("--out", "amber-bench/target/bench.json")));
    }
}

package dev.amber.it;

import dev.amber.cli.up.DeploymentSettings;
import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.TestLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `amber up` runs, in this JVM: server, embedded (or given) PostgreSQL, a local host with
 * real VMs, on free ports, with its state in a fresh AMBER_DATA; the images are the ones setup built.
 */
final class TestDeployment implements AutoCloseable {

    private final Path data;
    private final LocalDeployment deployment;

    private TestDeployment(Path data, LocalDeployment deployment) {
        this.data = data;
        this.deployment = deployment;
    }

    static TestDeployment start() throws Exception {
        return start(TestLayout.newDataDirectory(), DeploymentSettings.forTests());
    }

    static TestDeployment start(Path data, DeploymentSettings settings) throws Exception {
        return new TestDeployment(data, LocalDeployment.start(TestLayout.withData(data), settings));
    }

    Api api() {
        return new Api(url());
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return deployment.httpPort();
    }

    String adminKey() throws IOException {
        return Files.readString(data.resolve("admin.key")).strip();
    }

    Path data() {
        return data;
    }

    /** Stops everything, checks no QEMU of this deployment survived, keeps the data for a restart. */
    void stop() {
        deployment.close();
        assertThat(Processes.qemusMentioning(data)).as("QEMU processes left behind").isEmpty();
    }

    @Override
    public void close() throws IOException {
        stop();
        TestLayout.delete(data);
    }
}

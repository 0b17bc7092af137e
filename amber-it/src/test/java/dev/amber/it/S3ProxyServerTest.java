package dev.amber.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 server fixture answers the AWS SDK as S3 would, on loopback and inside a namespace. */
class S3ProxyServerTest {

    @TempDir
    Path dir;

    @Test
    void storesListsAndDeletesObjectsThroughTheAwsSdk() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("store"), "127.0.0.1", 0, "amber-chunks");
             S3Client s3 = client(server)) {
            String bucket = server.bucket();
            for (String key : List.of("snap/a", "snap/b", "snap/c", "other/d")) {
                s3.putObject(put -> put.bucket(bucket).key(key).metadata(Map.of("owner", "team-1")),
                        RequestBody.fromString("contents of " + key));
            }

            var head = s3.headObject(request -> request.bucket(bucket).key("snap/b"));
            assertThat(head.contentLength()).isEqualTo("contents of snap/b".length());
            assertThat(head.metadata()).containsEntry("owner", "team-1");
            // two keys a page: the third comes with the continuation token
            assertThat(s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix("snap/").maxKeys(2)).contents()
                    .stream().map(S3Object::key)).containsExactly("snap/a", "snap/b", "snap/c");
            assertThat(s3.getObjectAsBytes(get -> get.bucket(bucket).key("snap/c")).asString(StandardCharsets.UTF_8))
                    .isEqualTo("contents of snap/c");

            s3.deleteObject(delete -> delete.bucket(bucket).key("snap/c"));
            assertThatThrownBy(() -> s3.headObject(request -> request.bucket(bucket).key("snap/c")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(s3.listObjectsV2(list -> list.bucket(bucket)).contents().stream().map(S3Object::key))
                    .containsExactly("other/d", "snap/a", "snap/b");
        }
    }

    @Test
    void answersOtherMachinesWhenStartedInANamespace() throws Exception {
        try (NetworkNamespaces lan = NetworkNamespaces.create()) {
            NetworkNamespaces.Machine store = lan.machine("s3", 2);
            NetworkNamespaces.Machine host = lan.machine("host", 3);
            try (S3ProxyServer server = S3ProxyServer.startIn(store, dir.resolve("store"), 0, "amber-chunks")) {
                assertThat(server.endpoint().getHost()).isEqualTo(store.address());
                Process curl = new ProcessBuilder(host.command(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "--max-time", "10", server.endpoint() + "/" + server.bucket()))).start();
                String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(status).as("an unsigned request is refused, by S3Proxy").isEqualTo("403");
            }
        }
    }

    /**
     * What S3Proxy 2.6.0 needs of the SDK: path-style addresses, and checksums only where S3 requires
     * them (by default PutObject sends an aws-chunked body with a trailing checksum it cannot read).
     */
    private static S3Client client(S3ProxyServer server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }
}

package dev.amber.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The bucket, through the AWS SDK for Java v2: whole-object puts, gets, heads, listings and
 * deletes under the configured prefix (callers name keys relative to it). Path-style addressing,
 * so MinIO, S3Proxy and R2 work as S3 does. Thread-safe; one per process.
 */
public final class ObjectStore implements AutoCloseable {

    private static final int NOT_FOUND = 404;

    private final StoreSettings settings;
    private final S3Client s3;

    private ObjectStore(StoreSettings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
    }

    public static ObjectStore open(StoreSettings settings) {
        requireNonNull(settings, "settings");
        S3Client s3 = S3Client.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                // Chunks are verified by their SHA-256 names; the SDK's extra trailing checksums are
                // not understood by every S3-compatible server.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .build();
        return new ObjectStore(settings, s3);
    }

    public StoreSettings settings() {
        return settings;
    }

    public void put(String key, byte[] bytes) throws StoreException {
        try {
            s3.putObject(request -> request.bucket(settings.bucket()).key(fullKey(key)), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("store " + key, e);
        }
    }

    /** The object's bytes, or empty when there is no such object. */
    public Optional<byte[]> get(String key) throws StoreException {
        return unlessMissing("read " + key, () -> s3.getObjectAsBytes(
                request -> request.bucket(settings.bucket()).key(fullKey(key))).asByteArray());
    }

    /** When the object was last written, or empty when there is none. */
    public Optional<Instant> lastModified(String key) throws StoreException {
        return unlessMissing("look up " + key, () -> s3.headObject(
                request -> request.bucket(settings.bucket()).key(fullKey(key))).lastModified());
    }

    /** The answer to {@code request}, or empty when the object it asks for does not exist. */
    private <T> Optional<T> unlessMissing(String what, Supplier<T> request) throws StoreException {
        try {
            return Optional.of(request.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw failure(what, e);
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    /** Every object whose key starts with {@code keyPrefix}, keys relative to the store's prefix. */
    public List<StoredObject> list(String keyPrefix) throws StoreException {
        List<StoredObject> objects = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                        .bucket(settings.bucket()).prefix(fullKey(keyPrefix));
                if (token != null) {
                    request.continuationToken(token);
                }
                ListObjectsV2Response page = s3.listObjectsV2(request.build());
                for (S3Object object : page.contents()) {
                    objects.add(new StoredObject(object.key().substring(settings.prefix().length()), object.size(),
                            object.lastModified()));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("list " + keyPrefix, e);
        }
        return objects;
    }

    /** Deletes the object; a missing one is not an error. */
    public void delete(String key) throws StoreException {
        try {
            s3.deleteObject(request -> request.bucket(settings.bucket()).key(fullKey(key)));
        } catch (NoSuchKeyException e) {
            // already gone
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    private String fullKey(String key) {
        return settings.prefix() + key;
    }

    private StoreException failure(String what, SdkException e) {
        return new StoreException("object store " + settings.describe() + ": could not " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
    }
}

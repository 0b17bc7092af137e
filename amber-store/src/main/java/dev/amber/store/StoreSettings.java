package dev.amber.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where durable machine state goes: an S3-compatible bucket (S3, MinIO, R2, S3Proxy), set by
 * {@code AMBER_S3_ENDPOINT}, {@code AMBER_S3_BUCKET}, {@code AMBER_S3_REGION},
 * {@code AMBER_S3_ACCESS_KEY}, {@code AMBER_S3_SECRET_KEY} and {@code AMBER_S3_PREFIX}; how hard
 * uploads may push by {@code AMBER_S3_PARALLELISM} (requests at once, default 4) and
 * {@code AMBER_S3_BANDWIDTH_MBPS} (megabytes a second, default 100, 0 = unbounded); how much of
 * what a host fetched it keeps by {@code AMBER_SNAPSHOT_CACHE_GB} (default 20). No bucket set
 * means no store: state stays on the host that made it.
 */
public record StoreSettings(URI endpoint, String bucket, String region, String accessKey, String secretKey,
                            String prefix, int parallelism, long bytesPerSecond, long cacheBytes) {

    /** S3's bucket naming rules (lower case, digits, dots and dashes, 3 to 63 long). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Key prefixes are a path of plain segments; nothing that could climb or confuse a key. */
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9._-]+/)*");

    public StoreSettings {
        requireNonNull(endpoint, "endpoint");
        requireNonNull(bucket, "bucket");
        requireNonNull(region, "region");
        requireNonNull(accessKey, "accessKey");
        requireNonNull(secretKey, "secretKey");
        requireNonNull(prefix, "prefix");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
    }

    /** The store named by {@code environment}, or none when {@code AMBER_S3_BUCKET} is unset. */
    public static Optional<StoreSettings> fromEnvironment(Map<String, String> environment) {
        String bucket = value(environment, "AMBER_S3_BUCKET", "");
        if (bucket.isEmpty()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (!BUCKET.matcher(bucket).matches()) {
            problems.add("AMBER_S3_BUCKET '" + bucket + "' is not a valid bucket name");
        }
        String endpointText = value(environment, "AMBER_S3_ENDPOINT", "");
        URI endpoint = null;
        if (endpointText.isEmpty()) {
            problems.add("AMBER_S3_ENDPOINT is not set (e.g. https://s3.eu-west-1.amazonaws.com)");
        } else {
            try {
                endpoint = new URI(endpointText);
                if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
                    problems.add("AMBER_S3_ENDPOINT must be an http or https URL, not " + endpointText);
                }
            } catch (URISyntaxException e) {
                problems.add("AMBER_S3_ENDPOINT is not a URL: " + endpointText);
            }
        }
        String accessKey = value(environment, "AMBER_S3_ACCESS_KEY", "");
        String secretKey = value(environment, "AMBER_S3_SECRET_KEY", "");
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            problems.add("AMBER_S3_ACCESS_KEY and AMBER_S3_SECRET_KEY must both be set");
        }
        String prefix = value(environment, "AMBER_S3_PREFIX", "");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (!PREFIX.matcher(prefix).matches() || prefix.contains("../") || prefix.startsWith("./")
                || prefix.contains("/./")) {
            problems.add("AMBER_S3_PREFIX '" + prefix + "' must be plain path segments (letters, digits, . _ -)");
        }
        int parallelism = number(environment, "AMBER_S3_PARALLELISM", 4, problems);
        int megabytes = number(environment, "AMBER_S3_BANDWIDTH_MBPS", 100, problems);
        int cacheGb = number(environment, "AMBER_SNAPSHOT_CACHE_GB", 20, problems);
        if (parallelism < 1) {
            problems.add("AMBER_S3_PARALLELISM must be at least 1");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("object storage is misconfigured: " + String.join("; ", problems));
        }
        return Optional.of(new StoreSettings(endpoint, bucket, value(environment, "AMBER_S3_REGION", "us-east-1"),
                accessKey, secretKey, prefix, parallelism, megabytes * 1_000_000L, cacheGb * (1L << 30)));
    }

    private static String value(Map<String, String> environment, String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int number(Map<String, String> environment, String name, int fallback, List<String> problems) {
        String value = value(environment, name, "");
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                problems.add(name + " must not be negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, not '" + value + "'");
            return fallback;
        }
    }

    /** Where the store is, for logs and {@code /v1/hosts}: never the keys. */
    public String describe() {
        return endpoint + "/" + bucket + "/" + prefix;
    }

    @Override
    public String toString() {
        return "StoreSettings[" + describe() + ", parallelism=" + parallelism + ", bytesPerSecond=" + bytesPerSecond
                + ", cacheBytes=" + cacheBytes + "]";
    }
}

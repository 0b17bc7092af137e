package dev.amber.store;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/** A real S3-compatible server (S3Proxy on its filesystem backend) in the test JVM, on loopback. */
public final class LocalS3 implements AutoCloseable {

    public static final String BUCKET = "amber-test";
    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = "test-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private LocalS3(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    public static LocalS3 start(Path dir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        // filesystem-nio2: the older "filesystem" backend lists the directories of "a/b" keys as objects
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials("identity", "credential").overrides(properties).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new LocalS3(proxy, context);
    }

    /** Settings of this store, uploads unbounded in bandwidth, hosts caching {@code cacheBytes} of what they fetch. */
    public StoreSettings settings(String prefix, int parallelism, long cacheBytes) {
        return new StoreSettings(URI.create("http://127.0.0.1:" + proxy.getPort()), BUCKET, "us-east-1", ACCESS_KEY,
                SECRET_KEY, prefix, parallelism, 0, cacheBytes);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}

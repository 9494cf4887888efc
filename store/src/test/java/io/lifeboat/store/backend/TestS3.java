package io.lifeboat.store.backend;

import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3 server for store tests: S3Proxy in-process, in memory, SigV4, on a free port. */
public final class TestS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final S3Client client;

    public TestS3() throws Exception {
        proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        client = S3Backend.client(URI.create("http://127.0.0.1:" + proxy.getPort()), "us-east-1", "access", "secret");
    }

    /** A backend on a fresh bucket. */
    public Backend newBackend() {
        String bucket = "lb-" + UUID.randomUUID().toString().substring(0, 8);
        client.createBucket(b -> b.bucket(bucket));
        return new S3Backend(client, bucket, "vaults/v1");
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}

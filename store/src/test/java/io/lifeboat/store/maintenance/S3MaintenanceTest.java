package io.lifeboat.store.maintenance;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.backend.S3Backend;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** The maintenance contract on a real S3 server (S3Proxy, in-process). */
class S3MaintenanceTest extends MaintenanceContract {
    static S3Proxy proxy;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        s3 = S3Backend.client(URI.create("http://127.0.0.1:" + proxy.getPort()), "us-east-1", "access", "secret");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        proxy.stop();
    }

    @Override
    protected Backend newBackend(Path dir) {
        String bucket = "lb-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        return new S3Backend(s3, bucket, "vaults/v1");
    }
}

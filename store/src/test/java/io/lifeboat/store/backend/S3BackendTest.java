package io.lifeboat.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The backend contract against a real S3 server (S3Proxy, in-process, in-memory store, SigV4). */
class S3BackendTest extends BackendContract {
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
    protected Backend backend() {
        String bucket = "lb-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        return new S3Backend(s3, bucket, "vaults/v1");
    }

    /** A whole repository on S3: image backup, reopen, restore byte for byte. */
    @Test
    void imageRoundTripOnS3(@TempDir Path dir) throws Exception {
        Backend backend = backend();
        var wrapper = TestWrappers.random();
        var repo = Repository.init(backend, wrapper);
        byte[] image = new byte[3 << 20];
        new Random(11).nextBytes(image);
        Arrays.fill(image, 1 << 20, 2 << 20, (byte) 0);
        Path disk = Files.write(dir.resolve("disk.img"), image);
        new ImageArchiver(repo, 1 << 20).backup(disk, "rp");
        var reopened = Repository.open(backend, wrapper);
        Path out = dir.resolve("out.img");
        new ImageRestorer(reopened).restore("rp", out);
        assertThat(Files.readAllBytes(out)).isEqualTo(image);
    }
}

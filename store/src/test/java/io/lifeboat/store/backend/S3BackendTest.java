package io.lifeboat.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract against a real S3 server (S3Proxy, in-process, in-memory store, SigV4). */
class S3BackendTest extends BackendContract {
    static TestS3 s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = new TestS3();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @Override
    protected Backend backend() {
        return s3.newBackend();
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

package io.lifeboat.store.maintenance;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.backend.TestS3;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The maintenance contract on a real S3 server (S3Proxy, in-process). */
class S3MaintenanceTest extends MaintenanceContract {
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
    protected Backend newBackend(Path dir) {
        return s3.newBackend();
    }
}

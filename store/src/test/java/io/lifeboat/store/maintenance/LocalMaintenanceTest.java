package io.lifeboat.store.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.backend.LocalBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalMaintenanceTest extends MaintenanceContract {
    @Override
    protected Backend newBackend(Path dir) {
        return new LocalBackend(dir);
    }

    /** A writer killed mid-upload leaves its temporary file; a collection removes it once it is surely abandoned. */
    @Test
    void uploadsAKilledWriterLeftGoOnceUntouchedForTheGraceAndAnHour() throws Exception {
        Path abandoned = dir.resolve("repo/upload.tmp-killed");
        Path inFlight = dir.resolve("repo/upload.tmp-writing");
        Files.write(abandoned, new byte[8192]);
        Files.write(inFlight, new byte[8192]);
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        repo.useGcGrace(Duration.ofDays(1));
        assertThat(new GarbageCollector(repo, PACK).collect().abandonedUploadsDeleted()).isZero();
        assertThat(abandoned).exists();

        repo.useGcGrace(Duration.ZERO); // no grace still spares what was written in the last hour
        assertThat(new GarbageCollector(repo, PACK).collect().abandonedUploadsDeleted()).isEqualTo(1);
        assertThat(abandoned).doesNotExist();
        assertThat(inFlight).exists();
        assertThat(restore(repo, "a")).isEqualTo(imageA);
        assertThat(restore(repo, "b")).isEqualTo(imageB);
    }
}

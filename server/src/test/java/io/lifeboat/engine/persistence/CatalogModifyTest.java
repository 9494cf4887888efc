package io.lifeboat.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Catalog#modify} against the real databases (H2 here, PostgreSQL in the second pass): two
 * read-change-write cycles on one record never lose either change. A worker storing a job's
 * progress while the user stops the job was such a pair, and the stop was lost.
 */
class CatalogModifyTest {
    static final Kind<String> NOTE = new Kind<>("test-note", String.class);

    @TempDir
    Path dir;
    Database db;
    Catalog catalog;

    @BeforeEach
    void open() {
        db = TestServer.usePostgres() ? Database.open(TestServer.freshPostgresDatabase(), null, null)
                : Database.embedded(dir);
        catalog = db.catalog();
        catalog.insert(NOTE, "s", "n", null, "n", Instant.EPOCH, "");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aChangeMadeWhileAnotherIsUnderWayWaitsAndKeepsBoth() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> catalog.modify(NOTE, "s", "n", note -> {
            read.countDown();
            sleep(400); // the other change arrives while this one holds what it read
            return note + "slow;";
        }).orElseThrow());
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        String quick = catalog.modify(NOTE, "s", "n", note -> note + "quick;").orElseThrow();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow;");
        assertThat(quick).isEqualTo("slow;quick;");
        assertThat(catalog.get(NOTE, "s", "n")).contains("slow;quick;");
    }

    @Test
    void aFailingChangeStoresNothingAndAMissingRecordIsEmpty() {
        assertThatThrownBy(() -> catalog.modify(NOTE, "s", "n", note -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(catalog.get(NOTE, "s", "n")).contains("");
        assertThat(catalog.modify(NOTE, "s", "gone", note -> note + "x")).isEmpty();
        assertThat(catalog.get(NOTE, "s", "gone")).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

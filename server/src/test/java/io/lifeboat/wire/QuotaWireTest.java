package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.dailyRule;
import static io.lifeboat.testing.Fixtures.plan;
import static io.lifeboat.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.domain.Quotas;
import io.lifeboat.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.LimitExceededException;

class QuotaWireTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withQuotas(new Quotas(3, 2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void vaultQuotaHoldsUnderConcurrencyAndFreesOnDelete() throws Exception {
        BackupClient backup = server.backup(Region.AP_SOUTHEAST_2);
        List<Future<Boolean>> attempts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                attempts.add(pool.submit(() -> {
                    try {
                        backup.createBackupVault(b -> b.backupVaultName(unique("q")));
                        return true;
                    } catch (LimitExceededException e) {
                        return false;
                    }
                }));
            }
        }
        long created = 0;
        for (Future<Boolean> f : attempts) {
            created += f.get() ? 1 : 0;
        }
        assertThat(created).isEqualTo(3);
        assertAwsError(() -> backup.createBackupVault(b -> b.backupVaultName(unique("q"))), "LimitExceededException", 400);
        String first = backup.listBackupVaults().backupVaultList().get(0).backupVaultName();
        backup.deleteBackupVault(b -> b.backupVaultName(first));
        backup.createBackupVault(b -> b.backupVaultName(unique("q")));
        assertThat(server.backup(Region.AP_SOUTHEAST_1).createBackupVault(b -> b.backupVaultName("other-region"))
                .backupVaultName()).isEqualTo("other-region");
    }

    @Test
    void planQuotaCountsLivePlans() {
        BackupClient backup = server.backup(Region.CA_CENTRAL_1);
        String vault = unique("v");
        backup.createBackupVault(b -> b.backupVaultName(vault));
        String a = backup.createBackupPlan(b -> b.backupPlan(plan(unique("a"), dailyRule(vault)))).backupPlanId();
        backup.createBackupPlan(b -> b.backupPlan(plan(unique("b"), dailyRule(vault))));
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(unique("c"), dailyRule(vault)))),
                "LimitExceededException", 400);
        backup.deleteBackupPlan(b -> b.backupPlanId(a));
        backup.createBackupPlan(b -> b.backupPlan(plan(unique("c"), dailyRule(vault))));
    }

    /** More concurrent creates than database connections: none may wait on a second connection. */
    @Test
    void manyConcurrentCreatesNeitherDeadlockNorFail() throws Exception {
        try (TestServer big = TestServer.start(c -> c.withQuotas(new Quotas(10_000, 300)))) {
            BackupClient backup = big.backup(Region.EU_CENTRAL_1);
            List<Future<String>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
                for (int i = 0; i < 200; i++) {
                    results.add(pool.submit(() -> backup.createBackupVault(b -> b.backupVaultName(unique("c")))
                            .backupVaultName()));
                }
            }
            for (Future<String> f : results) {
                assertThat(f.get()).startsWith("c-");
            }
            assertThat(backup.listBackupVaultsPaginator(b -> b.maxResults(1000)).backupVaultList()).hasSize(200);
        }
    }
}

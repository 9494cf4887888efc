package io.lifeboat.domain.job;

import io.lifeboat.domain.plan.CopyAction;
import io.lifeboat.domain.plan.Lifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup job as AWS reports it. {@code completeBy} is when the completion window closes (counted
 * from the scheduled or requested time, not extended by the start window).
 */
public record BackupJob(String id, String accountId, String region, String vaultName, String vaultArn,
                        String resourceArn, String resourceType, String resourceName, String iamRoleArn,
                        State state, String statusMessage, String messageCategory, Instant created,
                        Instant startBy, Instant completeBy, Instant started, Instant completed, double percentDone,
                        long bytesTransferred, long backupSizeInBytes, String recoveryPointArn, Lifecycle lifecycle,
                        Map<String, String> recoveryPointTags, CreatedBy createdBy, String idempotencyToken,
                        List<CopyAction> copyActions, String encryptionKeyArn) {

    public enum State {
        CREATED, PENDING, RUNNING, ABORTING, ABORTED, COMPLETED, FAILED, EXPIRED, PARTIAL;

        public boolean terminal() {
            return this == ABORTED || this == COMPLETED || this == FAILED || this == EXPIRED || this == PARTIAL;
        }
    }

    public BackupJob with(State s, String message, String category, Instant at) {
        return new BackupJob(id, accountId, region, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                iamRoleArn, s, message, category, created, startBy, completeBy,
                s == State.RUNNING && started == null ? at : started, s.terminal() ? at : completed,
                s == State.COMPLETED ? 100.0 : percentDone, bytesTransferred, backupSizeInBytes, recoveryPointArn,
                lifecycle, recoveryPointTags, createdBy, idempotencyToken, copyActions, encryptionKeyArn);
    }

    public BackupJob withProgress(double percent, long transferred, long size, String pointArn) {
        return new BackupJob(id, accountId, region, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                iamRoleArn, state, statusMessage, messageCategory, created, startBy, completeBy, started, completed,
                percent, transferred, size, pointArn, lifecycle, recoveryPointTags, createdBy, idempotencyToken,
                copyActions, encryptionKeyArn);
    }
}

package io.lifeboat.domain.job;

import java.time.Instant;
import java.util.Map;

/** A restore job as AWS reports it; {@code metadata} is what the caller submitted. */
public record RestoreJob(String id, String accountId, String region, String recoveryPointArn, String vaultArn,
                         String sourceResourceArn, String resourceType, String iamRoleArn, Map<String, String> metadata,
                         Status status, String statusMessage, Instant created, Instant completed, double percentDone,
                         long backupSizeInBytes, String createdResourceArn, Instant recoveryPointCreated,
                         String idempotencyToken) {

    public enum Status {
        PENDING, RUNNING, COMPLETED, ABORTED, FAILED;

        public boolean terminal() {
            return this == COMPLETED || this == ABORTED || this == FAILED;
        }
    }

    public RestoreJob with(Status s, String message, Instant at) {
        return new RestoreJob(id, accountId, region, recoveryPointArn, vaultArn, sourceResourceArn, resourceType,
                iamRoleArn, metadata, s, message, created, s.terminal() ? at : completed,
                s == Status.COMPLETED ? 100.0 : percentDone, backupSizeInBytes, createdResourceArn,
                recoveryPointCreated, idempotencyToken);
    }

    /** The job with the instance it created. */
    public RestoreJob withCreatedResource(String arn) {
        return new RestoreJob(id, accountId, region, recoveryPointArn, vaultArn, sourceResourceArn, resourceType,
                iamRoleArn, metadata, status, statusMessage, created, completed, percentDone, backupSizeInBytes,
                arn, recoveryPointCreated, idempotencyToken);
    }
}

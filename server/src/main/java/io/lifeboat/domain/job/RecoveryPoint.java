package io.lifeboat.domain.job;

import io.lifeboat.domain.plan.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A recovery point: for EC2 an image holding every attached volume of one instance, taken at one
 * moment. {@code volumes} name the manifests in the vault's store; {@code restoreMetadata} is the
 * instance's launch settings captured at backup time.
 */
public record RecoveryPoint(String arn, String vaultName, String vaultArn, String resourceArn,
                            String resourceType, String resourceName, CreatedBy createdBy, String iamRoleArn,
                            Status status, String statusMessage, Instant created, Instant completed,
                            long backupSizeInBytes, Lifecycle lifecycle, String encryptionKeyArn, String storageClass,
                            Instant lastRestoreTime, String backupJobId, List<PointVolume> volumes,
                            Map<String, String> restoreMetadata, String sourceBackupVaultArn) {

    public enum Status {
        CREATING, COMPLETED, PARTIAL, DELETING, EXPIRED
    }

    /** One volume: its device, how it was stored (image or tree) and the manifest that holds it. */
    public record PointVolume(String device, String volumeId, String backing, long sizeBytes, String manifest) {
    }

    /** The AMI this point is: its ARN is the image's ({@code arn:aws:ec2:REGION::image/ami-…}). */
    public String imageId() {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    public Instant moveToColdAt() {
        return lifecycle == null || lifecycle.moveToColdStorageAfterDays() == null ? null
                : created.plus(Duration.ofDays(lifecycle.moveToColdStorageAfterDays()));
    }

    public Instant deleteAt() {
        return lifecycle == null || lifecycle.deleteAfterDays() == null ? null
                : created.plus(Duration.ofDays(lifecycle.deleteAfterDays()));
    }

    public RecoveryPoint with(Status s, String message) {
        return new RecoveryPoint(arn, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                createdBy, iamRoleArn, s, message, created, completed, backupSizeInBytes, lifecycle, encryptionKeyArn,
                storageClass, lastRestoreTime, backupJobId, volumes, restoreMetadata, sourceBackupVaultArn);
    }

    public RecoveryPoint completed(Instant at, long size, List<PointVolume> vols) {
        return new RecoveryPoint(arn, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                createdBy, iamRoleArn, Status.COMPLETED, null, created, at, size, lifecycle, encryptionKeyArn,
                storageClass, lastRestoreTime, backupJobId, List.copyOf(vols), restoreMetadata, sourceBackupVaultArn);
    }

    public RecoveryPoint withLifecycle(Lifecycle l) {
        return new RecoveryPoint(arn, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                createdBy, iamRoleArn, status, statusMessage, created, completed, backupSizeInBytes, l,
                encryptionKeyArn, storageClass, lastRestoreTime, backupJobId, volumes, restoreMetadata,
                sourceBackupVaultArn);
    }

    public RecoveryPoint withStorageClass(String c) {
        return new RecoveryPoint(arn, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                createdBy, iamRoleArn, status, statusMessage, created, completed, backupSizeInBytes, lifecycle,
                encryptionKeyArn, c, lastRestoreTime, backupJobId, volumes, restoreMetadata, sourceBackupVaultArn);
    }

    public RecoveryPoint restoredAt(Instant t) {
        return new RecoveryPoint(arn, vaultName, vaultArn, resourceArn, resourceType, resourceName,
                createdBy, iamRoleArn, status, statusMessage, created, completed, backupSizeInBytes, lifecycle,
                encryptionKeyArn, storageClass, t, backupJobId, volumes, restoreMetadata, sourceBackupVaultArn);
    }
}

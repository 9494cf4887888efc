package io.lifeboat.domain.plan;

/** After a rule's backup completes, copy the recovery point to this vault (any region or account). */
public record CopyAction(String destinationBackupVaultArn, Lifecycle lifecycle) {
}

package io.lifeboat.provider.backup;

import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.provider.RequestContext;
import java.util.Map;
import software.amazon.awssdk.services.backup.model.BackupVaultListMember;
import software.amazon.awssdk.services.backup.model.CreateBackupVaultRequest;
import software.amazon.awssdk.services.backup.model.CreateBackupVaultResponse;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultAccessPolicyRequest;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultAccessPolicyResponse;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultLockConfigurationRequest;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultLockConfigurationResponse;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultNotificationsRequest;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultNotificationsResponse;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultRequest;
import software.amazon.awssdk.services.backup.model.DeleteBackupVaultResponse;
import software.amazon.awssdk.services.backup.model.DescribeBackupVaultRequest;
import software.amazon.awssdk.services.backup.model.DescribeBackupVaultResponse;
import software.amazon.awssdk.services.backup.model.GetBackupVaultAccessPolicyRequest;
import software.amazon.awssdk.services.backup.model.GetBackupVaultAccessPolicyResponse;
import software.amazon.awssdk.services.backup.model.GetBackupVaultNotificationsRequest;
import software.amazon.awssdk.services.backup.model.GetBackupVaultNotificationsResponse;
import software.amazon.awssdk.services.backup.model.ListBackupVaultsRequest;
import software.amazon.awssdk.services.backup.model.ListBackupVaultsResponse;
import software.amazon.awssdk.services.backup.model.PutBackupVaultAccessPolicyRequest;
import software.amazon.awssdk.services.backup.model.PutBackupVaultAccessPolicyResponse;
import software.amazon.awssdk.services.backup.model.PutBackupVaultLockConfigurationRequest;
import software.amazon.awssdk.services.backup.model.PutBackupVaultLockConfigurationResponse;
import software.amazon.awssdk.services.backup.model.PutBackupVaultNotificationsRequest;
import software.amazon.awssdk.services.backup.model.PutBackupVaultNotificationsResponse;

/** Backup vault operations: three moves each, request to domain to response. */
public final class VaultProvider {
    private final VaultService vaults;

    public VaultProvider(VaultService vaults) {
        this.vaults = vaults;
    }

    static Scope scope(RequestContext ctx) {
        return new Scope(ctx.accountId(), ctx.region());
    }

    public CreateBackupVaultResponse createBackupVault(RequestContext ctx, CreateBackupVaultRequest req) {
        Vault v = vaults.create(scope(ctx), req.backupVaultName(), req.hasBackupVaultTags() ? req.backupVaultTags() : null,
                req.encryptionKeyArn(), req.creatorRequestId());
        return CreateBackupVaultResponse.builder().backupVaultName(v.name()).backupVaultArn(v.arn())
                .creationDate(v.created()).build();
    }

    public DescribeBackupVaultResponse describeBackupVault(RequestContext ctx, DescribeBackupVaultRequest req) {
        Vault v = vaults.get(scope(ctx), req.backupVaultName());
        DescribeBackupVaultResponse.Builder b = DescribeBackupVaultResponse.builder()
                .backupVaultName(v.name()).backupVaultArn(v.arn()).vaultType("BACKUP_VAULT").vaultState("AVAILABLE")
                .encryptionKeyArn(v.encryptionKeyArn()).encryptionKeyType(v.encryptionKeyType())
                .creationDate(v.created()).creatorRequestId(v.creatorRequestId())
                .numberOfRecoveryPoints(vaults.recoveryPointCount(scope(ctx), v.name()))
                .locked(v.lock() != null);
        if (v.lock() != null) {
            b.minRetentionDays(v.lock().minRetentionDays()).maxRetentionDays(v.lock().maxRetentionDays())
                    .lockDate(v.lock().lockDate());
        }
        return b.build();
    }

    public ListBackupVaultsResponse listBackupVaults(RequestContext ctx, ListBackupVaultsRequest req) {
        Page<Vault> page = vaults.list(scope(ctx), req.nextToken(), req.maxResults());
        Map<String, Long> counts = page.items().isEmpty() ? Map.of() : vaults.recoveryPointCounts(scope(ctx));
        return ListBackupVaultsResponse.builder()
                .backupVaultList(page.items().stream().map(v -> listMember(v, counts.getOrDefault(v.name(), 0L))).toList())
                .nextToken(page.nextSortKey()).build();
    }

    private static BackupVaultListMember listMember(Vault v, long recoveryPoints) {
        BackupVaultListMember.Builder b = BackupVaultListMember.builder()
                .backupVaultName(v.name()).backupVaultArn(v.arn()).vaultType("BACKUP_VAULT").vaultState("AVAILABLE")
                .creationDate(v.created()).encryptionKeyArn(v.encryptionKeyArn())
                .encryptionKeyType(v.encryptionKeyType()).creatorRequestId(v.creatorRequestId())
                .numberOfRecoveryPoints(recoveryPoints).locked(v.lock() != null);
        if (v.lock() != null) {
            b.minRetentionDays(v.lock().minRetentionDays()).maxRetentionDays(v.lock().maxRetentionDays())
                    .lockDate(v.lock().lockDate());
        }
        return b.build();
    }

    public DeleteBackupVaultResponse deleteBackupVault(RequestContext ctx, DeleteBackupVaultRequest req) {
        vaults.delete(scope(ctx), req.backupVaultName());
        return DeleteBackupVaultResponse.builder().build();
    }

    public PutBackupVaultAccessPolicyResponse putBackupVaultAccessPolicy(RequestContext ctx,
                                                                         PutBackupVaultAccessPolicyRequest req) {
        vaults.putAccessPolicy(scope(ctx), req.backupVaultName(), req.policy());
        return PutBackupVaultAccessPolicyResponse.builder().build();
    }

    public GetBackupVaultAccessPolicyResponse getBackupVaultAccessPolicy(RequestContext ctx,
                                                                         GetBackupVaultAccessPolicyRequest req) {
        Vault v = vaults.get(scope(ctx), req.backupVaultName());
        return GetBackupVaultAccessPolicyResponse.builder().backupVaultName(v.name()).backupVaultArn(v.arn())
                .policy(vaults.accessPolicy(scope(ctx), v.name())).build();
    }

    public DeleteBackupVaultAccessPolicyResponse deleteBackupVaultAccessPolicy(RequestContext ctx,
                                                                               DeleteBackupVaultAccessPolicyRequest req) {
        vaults.deleteAccessPolicy(scope(ctx), req.backupVaultName());
        return DeleteBackupVaultAccessPolicyResponse.builder().build();
    }

    public PutBackupVaultNotificationsResponse putBackupVaultNotifications(RequestContext ctx,
                                                                           PutBackupVaultNotificationsRequest req) {
        vaults.putNotifications(scope(ctx), req.backupVaultName(), req.snsTopicArn(), req.backupVaultEventsAsStrings());
        return PutBackupVaultNotificationsResponse.builder().build();
    }

    public GetBackupVaultNotificationsResponse getBackupVaultNotifications(RequestContext ctx,
                                                                           GetBackupVaultNotificationsRequest req) {
        Vault v = vaults.get(scope(ctx), req.backupVaultName());
        Vault.Notifications n = vaults.notifications(scope(ctx), v.name());
        return GetBackupVaultNotificationsResponse.builder().backupVaultName(v.name()).backupVaultArn(v.arn())
                .snsTopicArn(n.snsTopicArn()).backupVaultEventsWithStrings(n.events()).build();
    }

    public DeleteBackupVaultNotificationsResponse deleteBackupVaultNotifications(
            RequestContext ctx, DeleteBackupVaultNotificationsRequest req) {
        vaults.deleteNotifications(scope(ctx), req.backupVaultName());
        return DeleteBackupVaultNotificationsResponse.builder().build();
    }

    public PutBackupVaultLockConfigurationResponse putBackupVaultLockConfiguration(
            RequestContext ctx, PutBackupVaultLockConfigurationRequest req) {
        vaults.putLock(scope(ctx), req.backupVaultName(), req.minRetentionDays(), req.maxRetentionDays(),
                req.changeableForDays());
        return PutBackupVaultLockConfigurationResponse.builder().build();
    }

    public DeleteBackupVaultLockConfigurationResponse deleteBackupVaultLockConfiguration(
            RequestContext ctx, DeleteBackupVaultLockConfigurationRequest req) {
        vaults.deleteLock(scope(ctx), req.backupVaultName());
        return DeleteBackupVaultLockConfigurationResponse.builder().build();
    }
}

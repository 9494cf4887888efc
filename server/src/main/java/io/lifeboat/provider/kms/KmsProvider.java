package io.lifeboat.provider.kms;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.kms.DataKey;
import io.lifeboat.domain.kms.KmsAlias;
import io.lifeboat.domain.kms.KmsKey;
import io.lifeboat.domain.kms.KmsService;
import io.lifeboat.provider.RequestContext;
import java.time.Instant;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.CancelKeyDeletionRequest;
import software.amazon.awssdk.services.kms.model.CancelKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.CreateAliasRequest;
import software.amazon.awssdk.services.kms.model.CreateAliasResponse;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DeleteAliasRequest;
import software.amazon.awssdk.services.kms.model.DeleteAliasResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.DisableKeyRequest;
import software.amazon.awssdk.services.kms.model.DisableKeyResponse;
import software.amazon.awssdk.services.kms.model.EnableKeyRequest;
import software.amazon.awssdk.services.kms.model.EnableKeyResponse;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.ListAliasesRequest;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeysRequest;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionRequest;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/** Symmetric KMS keys, aliases and the envelope-encryption calls. */
public final class KmsProvider {
    private final KmsService kms;

    public KmsProvider(KmsService kms) {
        this.kms = kms;
    }

    private static Scope scope(RequestContext ctx) {
        return new Scope(ctx.accountId(), ctx.region());
    }

    public CreateKeyResponse createKey(RequestContext ctx, CreateKeyRequest req) {
        if (req.keySpec() != null && !"SYMMETRIC_DEFAULT".equals(req.keySpecAsString())) {
            throw DomainException.invalid("Lifeboat KMS supports KeySpec SYMMETRIC_DEFAULT only.");
        }
        if (req.keyUsage() != null && !"ENCRYPT_DECRYPT".equals(req.keyUsageAsString())) {
            throw DomainException.invalid("Lifeboat KMS supports KeyUsage ENCRYPT_DECRYPT only.");
        }
        return CreateKeyResponse.builder().keyMetadata(metadata(ctx, kms.createKey(scope(ctx), req.description(),
                "CUSTOMER"))).build();
    }

    public DescribeKeyResponse describeKey(RequestContext ctx, DescribeKeyRequest req) {
        return DescribeKeyResponse.builder().keyMetadata(metadata(ctx, kms.describe(scope(ctx), req.keyId()))).build();
    }

    public ListKeysResponse listKeys(RequestContext ctx, ListKeysRequest req) {
        Page<KmsKey> page = kms.listKeys(scope(ctx), req.marker(), req.limit());
        return ListKeysResponse.builder().keys(page.items().stream()
                        .map(k -> KeyListEntry.builder().keyId(k.keyId()).keyArn(k.arn()).build()).toList())
                .truncated(page.nextSortKey() != null).nextMarker(page.nextSortKey()).build();
    }

    public EnableKeyResponse enableKey(RequestContext ctx, EnableKeyRequest req) {
        kms.setEnabled(scope(ctx), req.keyId(), true);
        return EnableKeyResponse.builder().build();
    }

    public DisableKeyResponse disableKey(RequestContext ctx, DisableKeyRequest req) {
        kms.setEnabled(scope(ctx), req.keyId(), false);
        return DisableKeyResponse.builder().build();
    }

    public ScheduleKeyDeletionResponse scheduleKeyDeletion(RequestContext ctx, ScheduleKeyDeletionRequest req) {
        KmsKey k = kms.scheduleDeletion(scope(ctx), req.keyId(), req.pendingWindowInDays());
        return ScheduleKeyDeletionResponse.builder().keyId(k.arn()).deletionDate(k.deletionDate())
                .keyState(k.state()).pendingWindowInDays(k.pendingWindowDays()).build();
    }

    public CancelKeyDeletionResponse cancelKeyDeletion(RequestContext ctx, CancelKeyDeletionRequest req) {
        return CancelKeyDeletionResponse.builder().keyId(kms.cancelDeletion(scope(ctx), req.keyId()).arn()).build();
    }

    public CreateAliasResponse createAlias(RequestContext ctx, CreateAliasRequest req) {
        kms.createAlias(scope(ctx), req.aliasName(), req.targetKeyId());
        return CreateAliasResponse.builder().build();
    }

    public DeleteAliasResponse deleteAlias(RequestContext ctx, DeleteAliasRequest req) {
        kms.deleteAlias(scope(ctx), req.aliasName());
        return DeleteAliasResponse.builder().build();
    }

    public ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest req) {
        Page<KmsAlias> page = kms.listAliases(scope(ctx), req.marker(), req.limit());
        String only = req.keyId() == null ? null : kms.describe(scope(ctx), req.keyId()).keyId();
        return ListAliasesResponse.builder().aliases(page.items().stream()
                        .filter(a -> only == null || only.equals(a.targetKeyId()))
                        .map(a -> AliasListEntry.builder().aliasName(a.name()).aliasArn(a.arn())
                                .targetKeyId(a.targetKeyId()).creationDate(a.created()).lastUpdatedDate(a.updated())
                                .build()).toList())
                .truncated(page.nextSortKey() != null).nextMarker(page.nextSortKey()).build();
    }

    public GenerateDataKeyResponse generateDataKey(RequestContext ctx, GenerateDataKeyRequest req) {
        int bytes;
        if (req.numberOfBytes() != null) {
            bytes = req.numberOfBytes();
        } else if ("AES_128".equals(req.keySpecAsString())) {
            bytes = 16;
        } else if (req.keySpec() == null && req.keySpecAsString() == null) {
            throw DomainException.invalid("Please specify either number of bytes or key spec.");
        } else {
            bytes = 32;
        }
        DataKey key = kms.generateDataKey(scope(ctx), req.keyId(), bytes,
                req.hasEncryptionContext() ? req.encryptionContext() : null);
        return GenerateDataKeyResponse.builder().keyId(key.keyArn()).plaintext(SdkBytes.fromByteArray(key.plaintext()))
                .ciphertextBlob(SdkBytes.fromByteArray(key.ciphertext())).build();
    }

    public EncryptResponse encrypt(RequestContext ctx, EncryptRequest req) {
        byte[] blob = kms.encrypt(scope(ctx), req.keyId(), req.plaintext().asByteArrayUnsafe(),
                req.hasEncryptionContext() ? req.encryptionContext() : null);
        return EncryptResponse.builder().keyId(kms.describe(scope(ctx), req.keyId()).arn())
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionAlgorithm("SYMMETRIC_DEFAULT").build();
    }

    public DecryptResponse decrypt(RequestContext ctx, DecryptRequest req) {
        KmsService.Decrypted d = kms.decrypt(scope(ctx), req.ciphertextBlob().asByteArrayUnsafe(),
                req.hasEncryptionContext() ? req.encryptionContext() : null);
        return DecryptResponse.builder().keyId(d.keyArn()).plaintext(SdkBytes.fromByteArray(d.plaintext()))
                .encryptionAlgorithm("SYMMETRIC_DEFAULT").build();
    }

    private static KeyMetadata metadata(RequestContext ctx, KmsKey k) {
        Instant deletion = k.deletionDate();
        return KeyMetadata.builder().awsAccountId(ctx.accountId()).keyId(k.keyId()).arn(k.arn())
                .creationDate(k.created()).enabled(k.enabled()).description(k.description())
                .keyUsage("ENCRYPT_DECRYPT").keyState(k.state()).deletionDate(deletion)
                .pendingDeletionWindowInDays(k.pendingWindowDays()).origin("AWS_KMS").keyManager(k.keyManager())
                .customerMasterKeySpec("SYMMETRIC_DEFAULT").keySpec("SYMMETRIC_DEFAULT")
                .encryptionAlgorithmsWithStrings("SYMMETRIC_DEFAULT").multiRegion(false).build();
    }
}

package io.lifeboat.domain.kms;

import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Paging;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.store.crypto.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Symmetric KMS keys with real AES-256-GCM: key material is generated here and kept sealed under
 * the server master key; ciphertext blobs name their key so Decrypt needs no key id. Aliases,
 * enable/disable, scheduled deletion, and the region's AWS-managed {@code aws/backup} key.
 *
 * <p>Ciphertext blob: version byte 1 || key id (36 ASCII bytes) || nonce || ciphertext || tag, with
 * the encryption context (sorted, JSON-like) as associated data.
 */
public final class KmsService {
    public static final Kind<KmsKey> KEY = new Kind<>("kms-key", KmsKey.class);
    public static final Kind<KmsAlias> ALIAS = new Kind<>("kms-alias", KmsAlias.class);
    public static final String BACKUP_ALIAS = "alias/aws/backup";
    private static final byte BLOB_VERSION = 1;

    private final Catalog catalog;
    private final MasterKey master;
    private final Ids ids;
    private final Clock clock;

    public KmsService(Catalog catalog, MasterKey master, Ids ids, Clock clock) {
        this.catalog = catalog;
        this.master = master;
        this.ids = ids;
        this.clock = clock;
    }

    public KmsKey createKey(Scope scope, String description, String keyManager) {
        String keyId = ids.uuid();
        String arn = Arns.kmsKey(scope, keyId);
        String sealed = Base64.getEncoder().encodeToString(master.seal(ids.bytes(32), arn));
        KmsKey key = new KmsKey(keyId, arn, clock.instant(), description == null ? "" : description,
                keyManager, "Enabled", null, null, sealed);
        catalog.insert(KEY, scope.key(), keyId, "", keyId, key.created(), key);
        return key;
    }

    /** Finds a key by id, key ARN, alias name or alias ARN. */
    public KmsKey describe(Scope scope, String keyRef) {
        String keyId = resolveKeyId(scope, keyRef);
        return catalog.get(KEY, scope.key(), keyId).orElseThrow(() -> DomainException.notFound(
                "Key '" + Arns.kmsKey(scope, keyId) + "' does not exist"));
    }

    private String resolveKeyId(Scope scope, String keyRef) {
        String ref = keyRef;
        if (ref.startsWith("arn:")) {
            Arns.Parsed arn = Arns.parse(ref);
            if (arn == null || !"kms".equals(arn.service()) || !scope.region().equals(arn.region())
                    || !scope.accountId().equals(arn.accountId())) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "Invalid arn " + keyRef);
            }
            ref = arn.resource();
            if (ref.startsWith("key/")) {
                return ref.substring(4);
            }
        }
        if (ref.startsWith("alias/")) {
            if (BACKUP_ALIAS.equals(ref)) {
                return backupDefaultKey(scope).keyId();
            }
            String aliasName = ref;
            return catalog.get(ALIAS, scope.key(), aliasName).map(KmsAlias::targetKeyId).orElseThrow(() ->
                    DomainException.notFound("Alias " + Arns.kmsAlias(scope, aliasName) + " is not found."));
        }
        return ref;
    }

    public Page<KmsKey> listKeys(Scope scope, String marker, Integer limit) {
        Page<KmsKey> page = catalog.list(KEY, scope.key(), "", Paging.after("keys", marker), Paging.limit(limit, 100));
        return new Page<>(page.items(), Paging.token("keys", page.nextSortKey()));
    }

    public KmsKey setEnabled(Scope scope, String keyRef, boolean enabled) {
        return catalog.transaction(() -> {
            KmsKey key = describe(scope, keyRef);
            requireCustomerManaged(key);
            if ("PendingDeletion".equals(key.state())) {
                throw new DomainException(DomainException.Kind.INVALID_STATE, key.arn() + " is pending deletion.");
            }
            KmsKey updated = key.withState(enabled ? "Enabled" : "Disabled", null, null);
            catalog.update(KEY, scope.key(), key.keyId(), updated);
            return updated;
        });
    }

    public KmsKey scheduleDeletion(Scope scope, String keyRef, Integer pendingWindowInDays) {
        int days = pendingWindowInDays == null ? 30 : pendingWindowInDays;
        if (days < 7 || days > 30) {
            throw DomainException.invalid("PendingWindowInDays must be between 7 and 30.");
        }
        return catalog.transaction(() -> {
            KmsKey key = describe(scope, keyRef);
            requireCustomerManaged(key);
            if ("PendingDeletion".equals(key.state())) {
                throw new DomainException(DomainException.Kind.INVALID_STATE, key.arn() + " is pending deletion.");
            }
            KmsKey updated = key.withState("PendingDeletion", clock.instant().plus(Duration.ofDays(days)), days);
            catalog.update(KEY, scope.key(), key.keyId(), updated);
            return updated;
        });
    }

    public KmsKey cancelDeletion(Scope scope, String keyRef) {
        return catalog.transaction(() -> {
            KmsKey key = describe(scope, keyRef);
            if (!"PendingDeletion".equals(key.state())) {
                throw new DomainException(DomainException.Kind.INVALID_STATE, key.arn() + " is not pending deletion.");
            }
            KmsKey updated = key.withState("Disabled", null, null);
            catalog.update(KEY, scope.key(), key.keyId(), updated);
            return updated;
        });
    }

    private static void requireCustomerManaged(KmsKey key) {
        if (!"CUSTOMER".equals(key.keyManager())) {
            throw new DomainException(DomainException.Kind.INVALID_STATE,
                    key.arn() + " is an AWS managed key and cannot be modified.");
        }
    }

    public KmsAlias createAlias(Scope scope, String aliasName, String targetKeyRef) {
        if (!aliasName.startsWith("alias/") || aliasName.startsWith("alias/aws/")) {
            throw new DomainException(DomainException.Kind.INVALID_ALIAS,
                    "Alias must start with the prefix \"alias/\" and must not begin with \"alias/aws/\".");
        }
        KmsKey key = describe(scope, targetKeyRef);
        Instant now = clock.instant();
        KmsAlias alias = new KmsAlias(aliasName, Arns.kmsAlias(scope, aliasName), key.keyId(), now, now);
        try {
            catalog.insert(ALIAS, scope.key(), aliasName, "", aliasName, now, alias);
        } catch (Catalog.Duplicate e) {
            throw new DomainException(DomainException.Kind.ALREADY_EXISTS,
                    "An alias with the name " + alias.arn() + " already exists");
        }
        return alias;
    }

    public void deleteAlias(Scope scope, String aliasName) {
        if (!catalog.delete(ALIAS, scope.key(), aliasName)) {
            throw DomainException.notFound("Alias " + Arns.kmsAlias(scope, aliasName) + " is not found.");
        }
    }

    public Page<KmsAlias> listAliases(Scope scope, String marker, Integer limit) {
        backupDefaultKey(scope);
        Page<KmsAlias> page = catalog.list(ALIAS, scope.key(), "", Paging.after("aliases", marker),
                Paging.limit(limit, 50));
        return new Page<>(page.items(), Paging.token("aliases", page.nextSortKey()));
    }

    /** The region's AWS-managed key for Backup, created on first use like AWS does. */
    public KmsKey backupDefaultKey(Scope scope) {
        return catalog.get(ALIAS, scope.key(), BACKUP_ALIAS)
                .flatMap(a -> catalog.get(KEY, scope.key(), a.targetKeyId()))
                .orElseGet(() -> catalog.transaction(() -> {
                    KmsKey key = createKey(scope, "Default key that protects my Backup vaults when no other key is defined",
                            "AWS");
                    Instant now = clock.instant();
                    catalog.insert(ALIAS, scope.key(), BACKUP_ALIAS, "", BACKUP_ALIAS, now,
                            new KmsAlias(BACKUP_ALIAS, Arns.kmsAlias(scope, BACKUP_ALIAS), key.keyId(), now, now));
                    return key;
                }));
    }

    /** Its ARN; a concurrent first use that lost the race to create it reads the winner's. */
    public String backupDefaultKeyArn(Scope scope) {
        try {
            return backupDefaultKey(scope).arn();
        } catch (Catalog.Duplicate raced) {
            return backupDefaultKey(scope).arn();
        }
    }

    /** The ARN of an existing, enabled key named by its ARN; a vault may not be encrypted otherwise. */
    public String requireUsableKeyArn(Scope scope, String keyArn) {
        Arns.Parsed arn = Arns.parse(keyArn);
        if (arn == null || !"kms".equals(arn.service()) || !arn.resource().startsWith("key/")) {
            throw DomainException.invalid("EncryptionKeyArn " + keyArn + " is not a KMS key ARN.");
        }
        KmsKey key;
        try {
            key = describe(scope, keyArn);
        } catch (DomainException e) {
            throw DomainException.invalid("Encryption key " + keyArn + " does not exist in " + scope.region() + ".");
        }
        if (!key.enabled()) {
            throw DomainException.invalid("Encryption key " + keyArn + " is not enabled (" + key.state() + ").");
        }
        return key.arn();
    }

    public DataKey generateDataKey(Scope scope, String keyRef, int numberOfBytes, Map<String, String> context) {
        if (numberOfBytes < 1 || numberOfBytes > 1024) {
            throw DomainException.invalid("NumberOfBytes must be between 1 and 1024.");
        }
        byte[] plaintext = ids.bytes(numberOfBytes);
        byte[] ciphertext = encrypt(scope, keyRef, plaintext, context);
        return new DataKey(describe(scope, keyRef).arn(), plaintext, ciphertext);
    }

    public byte[] encrypt(Scope scope, String keyRef, byte[] plaintext, Map<String, String> context) {
        if (plaintext.length < 1 || plaintext.length > 4096) {
            throw DomainException.invalid("Plaintext must be between 1 and 4096 bytes.");
        }
        KmsKey key = usable(describe(scope, keyRef));
        byte[] sealed = keyCipher(key).seal(plaintext, canonicalContext(context));
        byte[] id = key.keyId().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(1 + id.length + sealed.length).put(BLOB_VERSION).put(id).put(sealed).array();
    }

    public record Decrypted(String keyArn, byte[] plaintext) {
    }

    public Decrypted decrypt(Scope scope, byte[] blob, Map<String, String> context) {
        if (blob.length < 1 + 36 + Envelope.OVERHEAD || blob[0] != BLOB_VERSION) {
            throw new DomainException(DomainException.Kind.INVALID_CIPHERTEXT, "The ciphertext is invalid.");
        }
        String keyId = new String(blob, 1, 36, StandardCharsets.US_ASCII);
        KmsKey key = usable(catalog.get(KEY, scope.key(), keyId).orElseThrow(() ->
                new DomainException(DomainException.Kind.INVALID_CIPHERTEXT, "The ciphertext is invalid.")));
        try {
            byte[] plain = keyCipher(key).open(Arrays.copyOfRange(blob, 37, blob.length),
                    canonicalContext(context));
            return new Decrypted(key.arn(), plain);
        } catch (IllegalArgumentException e) {
            throw new DomainException(DomainException.Kind.INVALID_CIPHERTEXT,
                    "The ciphertext or its encryption context is invalid.");
        }
    }

    private static KmsKey usable(KmsKey key) {
        if ("Disabled".equals(key.state())) {
            throw new DomainException(DomainException.Kind.DISABLED, key.arn() + " is disabled.");
        }
        if (!key.enabled()) {
            throw new DomainException(DomainException.Kind.INVALID_STATE, key.arn() + " is pending deletion.");
        }
        return key;
    }

    private MasterKey keyCipher(KmsKey key) {
        return new MasterKey(master.open(Base64.getDecoder().decode(key.sealedMaterial()), key.arn()));
    }

    private static String canonicalContext(Map<String, String> context) {
        return context == null || context.isEmpty() ? "" : new TreeMap<>(context).toString();
    }
}

package io.lifeboat.engine.vault;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.kms.KmsService;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the store of a vault: a repository under {@code root/ACCOUNT/REGION/VAULT}, created at its
 * first backup, its keys wrapped by the vault's KMS key with the vault ARN as encryption context
 * (a disabled key stops its vault's backups and restores, as in AWS). Repositories run on the
 * service clock, so garbage collection's grace period follows simulated time too.
 */
public final class VaultStores {
    private final Path root;
    private final KmsService kms;
    private final Clock clock;
    private final Map<String, Repository> open = new ConcurrentHashMap<>();

    public VaultStores(Path root, KmsService kms, Clock clock) {
        this.root = root;
        this.kms = kms;
        this.clock = clock;
    }

    /**
     * Where a vault's points live: the warm store, or the cold tier that lifecycle moves points to
     * ({@code VAULT.cold} beside it; vault names cannot contain a dot). Each is a repository of its own.
     */
    public Path location(Scope scope, String vaultName, boolean cold) {
        return root.resolve(scope.accountId()).resolve(scope.region()).resolve(cold ? vaultName + ".cold" : vaultName);
    }

    /**
     * The vault's store, shared by every job of this node: its index stays in memory and each
     * backup reads only the index files written since (by other nodes, or a collection). Writers
     * on one handle are safe together; garbage collection and other whole-store work take
     * {@link #openFresh} instead.
     */
    public Repository open(Scope scope, Vault vault) throws IOException {
        return open(scope, vault, false);
    }

    public Repository open(Scope scope, Vault vault, boolean cold) throws IOException {
        // a vault re-created by name is new
        String key = vault.arn() + "@" + vault.created().toEpochMilli() + (cold ? "/cold" : "");
        Repository repo = open.get(key);
        if (repo == null) {
            synchronized (this) {
                repo = open.get(key);
                if (repo == null) {
                    repo = openFresh(scope, vault, cold);
                    open.put(key, repo);
                }
            }
        }
        return repo;
    }

    /** A handle of its own on the vault's store or cold tier (created at first use). */
    public Repository openFresh(Scope scope, Vault vault, boolean cold) throws IOException {
        Path dir = location(scope, vault.name(), cold);
        KeyWrapper wrapper = wrapper(scope, vault);
        Repository repo;
        synchronized (this) {
            Files.createDirectories(dir);
            LocalBackend backend = new LocalBackend(dir);
            if (Files.exists(dir.resolve("config"))) {
                repo = Repository.open(backend, wrapper);
            } else {
                try {
                    repo = Repository.init(backend, wrapper);
                } catch (FileAlreadyExistsException otherNode) {
                    repo = Repository.open(backend, wrapper); // another node created it first
                }
            }
        }
        return repo.useClock(clock);
    }

    private KeyWrapper wrapper(Scope scope, Vault vault) {
        Map<String, String> context = Map.of("aws:backup:backup-vault-arn", vault.arn());
        return new KeyWrapper() {
            @Override
            public byte[] wrap(byte[] plaintext) throws IOException {
                try {
                    return kms.encrypt(scope, vault.encryptionKeyArn(), plaintext, context);
                } catch (DomainException e) {
                    throw new IOException("encryption key of vault " + vault.name() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public byte[] unwrap(byte[] wrapped) throws IOException {
                try {
                    return kms.decrypt(scope, wrapped, context).plaintext();
                } catch (DomainException e) {
                    throw new IOException("encryption key of vault " + vault.name() + ": " + e.getMessage(), e);
                }
            }
        };
    }
}

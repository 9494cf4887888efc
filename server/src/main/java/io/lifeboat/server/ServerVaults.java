package io.lifeboat.server;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Quotas;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.kms.KmsService;
import io.lifeboat.domain.kms.MasterKey;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.engine.persistence.Database;
import io.lifeboat.engine.vault.VaultStores;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A server's vault store opened from outside the server ({@code lifeboat store --vault}): the
 * store's keys are wrapped by the vault's KMS key, whose material the catalog holds sealed by the
 * master key, so the command reads the catalog (embedded in the data directory, or PostgreSQL) and
 * the master key file. The embedded catalog can only be opened while the server is stopped.
 */
final class ServerVaults {
    private ServerVaults() {
    }

    private static Scope scope(StoreCommand.RepoOptions o) {
        return new Scope(o.account, o.region);
    }

    static Path location(StoreCommand.RepoOptions o) {
        return stores(o, null).location(scope(o), o.vault, o.cold);
    }

    private static VaultStores stores(StoreCommand.RepoOptions o, KmsService kms) {
        return new VaultStores(o.data.resolve("vaults"), kms, Clock.systemUTC());
    }

    static Repository open(StoreCommand.RepoOptions o) throws IOException {
        Path keyFile = o.data.resolve(Secrets.MASTER_KEY_FILE);
        if (!Files.isRegularFile(keyFile)) {
            throw new IOException("no master key at " + keyFile + ": --data must name the server's data directory");
        }
        if (o.dbUrl == null && !Files.exists(o.data.resolve("catalog.mv.db"))) {
            throw new IOException("no catalog in " + o.data + ": --data must name the server's data directory "
                    + "(or give --db-url)");
        }
        Database db;
        try {
            db = o.dbUrl == null ? Database.embedded(o.data) : Database.open(o.dbUrl,
                    System.getenv("LIFEBOAT_DB_USER"), System.getenv("LIFEBOAT_DB_PASSWORD"));
        } catch (RuntimeException e) {
            throw new IOException("cannot open the server's catalog (a running server holds the embedded one: "
                    + "stop it first): " + e.getMessage(), e);
        }
        Ids ids = new Ids();
        Clock clock = Clock.systemUTC();
        KmsService kms = new KmsService(db.catalog(), new MasterKey(Files.readAllBytes(keyFile)), ids, clock);
        Vault vault;
        try {
            vault = new VaultService(db.catalog(), kms, clock, Quotas.AWS).get(scope(o), o.vault);
        } catch (DomainException e) {
            throw new IOException(e.getMessage() + " (account " + o.account + ", region " + o.region + ")");
        }
        VaultStores stores = stores(o, kms);
        if (!Files.exists(stores.location(scope(o), vault.name(), o.cold).resolve("config"))) {
            throw new IOException("vault " + vault.name() + " has no " + (o.cold ? "cold tier" : "store") + " yet");
        }
        return stores.openFresh(scope(o), vault, o.cold);
    }
}

package io.lifeboat.engine.jobs;

import io.lifeboat.domain.Scope;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.Image;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.engine.vault.VaultStores;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.tree.TreeRestorer;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a recovery point image's volumes out of its vault's store (or cold tier), for launches and restores. */
public final class StoreImageData implements ComputeService.ImageData {
    private final VaultService vaults;
    private final RecoveryPointService points;
    private final VaultStores stores;

    public StoreImageData(VaultService vaults, RecoveryPointService points, VaultStores stores) {
        this.vaults = vaults;
        this.points = points;
        this.stores = stores;
    }

    @Override
    public void restore(Scope scope, Image image, Image.Device device, Path target) throws IOException {
        Vault vault = vaults.find(scope, image.vaultName()).orElseThrow(() ->
                new IOException("backup vault " + image.vaultName() + " of image " + image.id() + " is gone"));
        boolean cold = points.find(scope, image.arn(scope.region())).map(p -> "COLD".equals(p.storageClass()))
                .orElse(false);
        Repository repo = stores.open(scope, vault, cold);
        if (device.backing().isTree()) {
            new TreeRestorer(repo).restore(device.manifest(), "", target);
        } else {
            new ImageRestorer(repo).restore(device.manifest(), target);
        }
    }
}

package io.lifeboat.store.maintenance;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.image.ImageManifest;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.tree.TreeManifest;
import java.io.IOException;
import java.util.function.Consumer;

/** The chunks a recovery point needs, whatever kind of volume its manifest describes. */
final class ManifestChunks {
    private ManifestChunks() {
    }

    /** Every chunk {@code name} reads; throws if the manifest (or a tree's node stream) cannot be read. */
    static void of(Repository repo, String name, Consumer<ChunkId> sink) throws IOException {
        byte[] manifest = repo.manifest(name);
        if (TreeManifest.is(manifest)) {
            TreeManifest.decode(name, manifest).chunks(repo, name, sink);
        } else {
            ImageManifest.decode(name, manifest).chunks(repo, name, sink);
        }
    }
}

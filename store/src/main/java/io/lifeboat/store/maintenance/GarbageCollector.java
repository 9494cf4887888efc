package io.lifeboat.store.maintenance;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.repository.Lock;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.Sweeper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Mark and sweep: every chunk a manifest names is live; the {@link Sweeper} frees the rest. Runs
 * under the repository's exclusive lock, so it never races a backup that has stored chunks but not
 * yet its manifest. A manifest that cannot be read stops the collection (its chunks would look
 * dead), with the manifest named.
 */
public final class GarbageCollector {
    /** A pack is rewritten when more than half of it is dead, as restic's default prune does. */
    public static final double REPACK_DEAD_SHARE = 0.5;

    private final Repository repo;
    private final int packBytes;

    public GarbageCollector(Repository repo, int packBytes) {
        this.repo = repo;
        this.packBytes = packBytes;
    }

    public Sweeper.Result collect() throws IOException {
        try (Lock lock = Lock.exclusive(repo, "garbage collection")) {
            Set<ChunkId> live = new HashSet<>();
            for (String name : repo.manifests()) {
                ManifestChunks.of(repo, name, live::add);
            }
            Sweeper.Result result = new Sweeper(repo, REPACK_DEAD_SHARE, packBytes).sweep(live);
            lock.removeStale();
            return result;
        }
    }
}

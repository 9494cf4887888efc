package io.lifeboat.store.maintenance;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.repository.ChunkSet;
import io.lifeboat.store.repository.IdLongs;
import io.lifeboat.store.repository.GcState;
import io.lifeboat.store.repository.Lock;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.Sweeper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mark and sweep with a grace period, safe while backups write (docs/store-format.md, "Locks and
 * garbage collection"). Every chunk a manifest names is live; an indexed chunk that is not, and a
 * pack no index names, is condemned with the time it was first seen so, and deleted by a later
 * collection once it has stayed so for the repository's grace period. A backup reuses a condemned
 * chunk only if it was condemned less than half a grace period before the backup started, and
 * commits within half a grace period, so nothing it relies on is deleted first. Collections and
 * verify exclude each other by lock; backups and restores take none. A manifest that cannot be
 * read stops the collection (its chunks would look dead), with the manifest named. Uploads a killed
 * writer left half-written go too, once untouched for the grace period and at least an hour.
 */
public final class GarbageCollector {
    /** A pack is rewritten when more than half of it is dead, as restic's default prune does. */
    public static final double REPACK_DEAD_SHARE = 0.5;
    /**
     * An upload untouched this long (and for the grace period) was abandoned by its writer: one in
     * flight writes every few seconds, so even a collection told to keep no grace spares it.
     */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private final Repository repo;
    private final int packBytes;

    public GarbageCollector(Repository repo, int packBytes) {
        this.repo = repo;
        this.packBytes = packBytes;
    }

    public Sweeper.Result collect() throws IOException {
        try (Lock lock = Lock.exclusive(repo, "garbage collection")) {
            long now = repo.clock().millis();
            long due = now - repo.gcGrace().toMillis();
            GcState before = repo.gcState();
            List<String> manifests = repo.manifestsWithCurrentIndex();
            ChunkSet live = new ChunkSet();
            for (String name : manifests) {
                try {
                    ManifestChunks.of(repo, name, live::add);
                } catch (NoSuchFileException deleted) {
                    // deleted since the listing: its chunks are candidates like any others
                }
            }
            IdLongs condemned = new IdLongs();
            Sweeper.Survey survey = new Sweeper.Survey();
            repo.forEachIndexed((id, at) -> {
                boolean keep = live.contains(id);
                if (!keep) {
                    long since = Math.min(before.chunks().get(id, now), now);
                    if (since > due) {
                        condemned.put(id, since);
                        keep = true;
                    }
                }
                survey.add(at, keep);
            });
            Map<String, Long> condemnedPacks = new HashMap<>();
            Set<String> unindexedDue = new HashSet<>();
            for (String path : repo.backend().list("data/")) {
                String pack = Repository.packName(path);
                ChunkId id = Repository.packId(pack);
                if (id == null || survey.indexes(id)) {
                    continue; // not a pack at all, or indexed: left alone
                }
                long since = before.packs().getOrDefault(pack, now);
                if (since <= due) {
                    unindexedDue.add(pack);
                } else {
                    condemnedPacks.put(pack, since);
                }
            }
            Sweeper.Result result = new Sweeper(repo, REPACK_DEAD_SHARE, packBytes)
                    .sweep(survey, id -> live.contains(id) || condemned.contains(id), unindexedDue);
            result.retired().forEach(pack -> condemnedPacks.put(pack, now));
            repo.putGcState(new GcState(condemned, condemnedPacks));
            lock.removeStale();
            // file times are the real clock's, not the repository's (which tests and the server's
            // simulated time move)
            Duration untouched = repo.gcGrace().compareTo(ABANDONED_AFTER) > 0 ? repo.gcGrace() : ABANDONED_AFTER;
            return result.withAbandonedUploadsDeleted(
                    repo.backend().deleteAbandonedUploads(Instant.now().minus(untouched)));
        }
    }
}

package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.pack.PackEntry;
import io.lifeboat.store.pack.PackWriter;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds new chunks to a repository: seals them into packs, uploads each pack when it reaches its
 * target size, and on {@link #flush()} uploads the last pack and then an index file naming every
 * chunk written. Order matters for crash safety: a chunk is indexed only after its pack is stored,
 * and callers write a manifest only after {@code flush()} returns.
 *
 * <p>Safe for several threads: a chunk is claimed before it is sealed (so two workers meeting the
 * same new content seal it once) and sealing runs outside the lock; only appending to the open pack
 * and uploading it are serialised.
 */
public final class ChunkWriter {
    private final Repository repo;
    private final int packBytes;
    private PackWriter pack;
    private final Map<ChunkId, Location> written = new HashMap<>();
    private final Set<ChunkId> claimed = ConcurrentHashMap.newKeySet();
    private long bytesStored;

    ChunkWriter(Repository repo, int packBytes) {
        this.repo = repo;
        this.packBytes = packBytes;
        this.pack = new PackWriter(repo.envelope());
    }

    /** Stores a chunk unless the repository (or this writer) has it; returns whether it was new. */
    public boolean add(ChunkId id, byte[] data, int offset, int length) throws IOException {
        if (repo.contains(id) || !claimed.add(id)) {
            return false;
        }
        byte[] sealed = repo.sealer().seal(id, data, offset, length);
        synchronized (this) {
            pack.add(id, sealed, length);
            bytesStored += sealed.length;
            if (pack.size() >= packBytes) {
                uploadPack();
            }
        }
        return true;
    }

    /** Sealed bytes this writer has stored (new data, after compression). */
    public synchronized long bytesStored() {
        return bytesStored;
    }

    private void uploadPack() throws IOException {
        if (pack.count() == 0) {
            return;
        }
        PackWriter.Pack done = pack.finish();
        repo.backend().put(Repository.packPath(done.name()), done.bytes());
        for (PackEntry e : done.entries()) {
            written.put(e.id(), new Location(done.name(), e.offset(), e.sealedLength(), e.plainLength()));
        }
        pack = new PackWriter(repo.envelope());
    }

    /** Uploads the open pack and an index file for everything written; then the chunks are readable. */
    public synchronized void flush() throws IOException {
        uploadPack();
        if (written.isEmpty()) {
            return;
        }
        byte[] index = Repository.encodeIndex(written);
        repo.backend().put("index/" + sha256(index), repo.envelope().seal(Repository.INDEX_LABEL, index));
        repo.indexed(written);
        written.clear();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

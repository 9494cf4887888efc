package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.pack.PackEntry;
import io.lifeboat.store.pack.PackReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads back every pack of a repository: trailer, header (authenticated, and hashing to the pack's
 * name), every chunk (authenticated under its id, decompressed, id recomputed), and checks each
 * index entry against the header of the pack it names. What it cannot vouch for is reported by
 * chunk id, so the caller can name the recovery points that use it.
 */
public final class PackChecker {
    /** What a check found: problems in words, and the indexed chunks that cannot be read back. */
    public record Result(List<String> problems, Set<ChunkId> unreadable, int packs, int chunks, long bytes) {
    }

    private final Repository repo;

    public PackChecker(Repository repo) {
        this.repo = repo;
    }

    /**
     * Reads every pack, then walks the index once against what was found. Memory: one pack, and per
     * indexed chunk one entry of a table like the index, where its indexed pack put it.
     */
    public Result check() throws IOException {
        List<String> problems = new ArrayList<>();
        repo.damagedIndexes().forEach((name, why) -> problems.add("index " + name + ": " + why));
        // Where each indexed chunk authenticated in the pack the index names; sealed length -1: it did not.
        ChunkIndex found = new ChunkIndex();
        int packs = 0;
        long bytes = 0;
        ChunkSet seen = new ChunkSet(); // packs by name
        for (String path : repo.backend().list("data/")) {
            String pack = Repository.packName(path);
            ChunkId id = Repository.packId(pack);
            if (id != null) {
                seen.add(id);
            }
            packs++;
            byte[] data = repo.backend().get(path);
            bytes += data.length;
            Collection<PackEntry> entries;
            try {
                entries = header(pack, data).values();
            } catch (CorruptBlobException e) {
                // The header is lost, but the index still says where each chunk is: the chunks that
                // authenticate there stay readable (a restore needs only the index).
                problems.add(e.getMessage());
                entries = indexedIn(pack);
            }
            for (PackEntry e : entries) {
                if (!pack.equals(repo.packOf(e.id()))) {
                    continue; // a copy the index does not name (stored twice): nothing reads it
                }
                boolean sound = false;
                if (e.offset() + e.sealedLength() > data.length) {
                    problems.add("pack " + pack + ": chunk " + e.id() + " lies past the end (truncated?)");
                } else {
                    try {
                        repo.sealer().open(e.id(), Arrays.copyOfRange(data, (int) e.offset(), (int) (e.offset() + e.sealedLength())));
                        sound = true;
                    } catch (CorruptBlobException ex) {
                        problems.add("pack " + pack + ": " + ex.getMessage());
                    }
                }
                found.put(e.id(), new Location(pack, e.offset(), sound ? e.sealedLength() : -1, e.plainLength()));
            }
        }
        Set<ChunkId> unreadable = new HashSet<>();
        Set<String> missing = new TreeSet<>();
        int[] chunks = {0};
        PackIds packIds = new PackIds();
        repo.forEachIndexed((id, at) -> {
            chunks[0]++;
            Location there = found.get(id);
            if (!seen.contains(packIds.of(at.pack()))) {
                missing.add(at.pack());
                unreadable.add(id);
            } else if (there == null || there.offset() != at.offset()
                    || (there.sealedLength() >= 0 && there.sealedLength() != at.sealedLength())) {
                problems.add("index entry for chunk " + id + " does not match pack " + at.pack());
                unreadable.add(id);
            } else if (there.sealedLength() < 0) {
                unreadable.add(id);
            }
        });
        missing.forEach(p -> problems.add("pack " + p + ": missing (named by the index)"));
        return new Result(problems, unreadable, packs, chunks[0], bytes);
    }

    /** What the index says a pack holds, for a pack whose header is lost. */
    private List<PackEntry> indexedIn(String pack) throws IOException {
        List<PackEntry> entries = new ArrayList<>();
        repo.forEachIndexed((id, at) -> {
            if (at.pack().equals(pack)) {
                entries.add(new PackEntry(id, at.offset(), at.sealedLength(), at.plainLength()));
            }
        });
        return entries;
    }

    /** A pack's entries by chunk id, after checking its trailer, header tag and name. */
    Map<ChunkId, PackEntry> header(String pack, byte[] data) throws CorruptBlobException {
        if (data.length < PackReader.TRAILER) {
            throw new CorruptBlobException("pack " + pack + ": " + data.length + " bytes is too short to be a pack");
        }
        int length = PackReader.headerLength(pack, Arrays.copyOfRange(data, data.length - PackReader.TRAILER, data.length));
        if (length > data.length - PackReader.TRAILER) {
            throw new CorruptBlobException("pack " + pack + ": header longer than the pack (truncated?)");
        }
        byte[] sealedHeader = Arrays.copyOfRange(data, data.length - PackReader.TRAILER - length,
                data.length - PackReader.TRAILER);
        if (!PackReader.matchesName(pack, sealedHeader)) {
            throw new CorruptBlobException("pack " + pack + ": header does not hash to the pack's name");
        }
        Map<ChunkId, PackEntry> entries = new HashMap<>();
        for (PackEntry e : PackReader.entries(repo.envelope(), pack, sealedHeader, data.length)) {
            entries.put(e.id(), e);
        }
        return entries;
    }
}

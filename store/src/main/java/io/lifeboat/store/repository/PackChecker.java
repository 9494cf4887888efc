package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.pack.PackEntry;
import io.lifeboat.store.pack.PackReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    public Result check() throws IOException {
        List<String> problems = new ArrayList<>();
        repo.damagedIndexes().forEach((name, why) -> problems.add("index " + name + ": " + why));
        Map<ChunkId, Location> index = repo.index();
        Map<String, List<Map.Entry<ChunkId, Location>>> byPack = new HashMap<>();
        index.entrySet().forEach(e -> byPack.computeIfAbsent(e.getValue().pack(), p -> new ArrayList<>()).add(e));
        Set<ChunkId> good = new HashSet<>();
        int packs = 0;
        long bytes = 0;
        Set<String> seen = new HashSet<>();
        for (String path : repo.backend().list("data/")) {
            String pack = path.substring(path.lastIndexOf('/') + 1);
            seen.add(pack);
            packs++;
            byte[] data = repo.backend().get(path);
            bytes += data.length;
            Map<ChunkId, PackEntry> entries;
            try {
                entries = header(pack, data);
            } catch (CorruptBlobException e) {
                // The header is lost, but the index still says where each chunk is: the chunks that
                // authenticate there stay readable (a restore needs only the index).
                problems.add(e.getMessage());
                entries = new HashMap<>();
                for (Map.Entry<ChunkId, Location> indexed : byPack.getOrDefault(pack, List.of())) {
                    Location at = indexed.getValue();
                    entries.put(indexed.getKey(), new PackEntry(indexed.getKey(), at.offset(), at.sealedLength(),
                            at.plainLength()));
                }
            }
            for (PackEntry e : entries.values()) {
                if (e.offset() + e.sealedLength() > data.length) {
                    problems.add("pack " + pack + ": chunk " + e.id() + " lies past the end (truncated?)");
                    continue;
                }
                try {
                    repo.sealer().open(e.id(), Arrays.copyOfRange(data, (int) e.offset(), (int) (e.offset() + e.sealedLength())));
                    good.add(e.id());
                } catch (CorruptBlobException ex) {
                    problems.add("pack " + pack + ": " + ex.getMessage());
                }
            }
            for (Map.Entry<ChunkId, Location> indexed : byPack.getOrDefault(pack, List.of())) {
                PackEntry e = entries.get(indexed.getKey());
                Location at = indexed.getValue();
                if (e == null || e.offset() != at.offset() || e.sealedLength() != at.sealedLength()) {
                    problems.add("index entry for chunk " + indexed.getKey() + " does not match pack " + pack);
                    good.remove(indexed.getKey());
                }
            }
        }
        Set<ChunkId> unreadable = new HashSet<>();
        for (Map.Entry<ChunkId, Location> e : index.entrySet()) {
            if (!seen.contains(e.getValue().pack())) {
                unreadable.add(e.getKey());
            } else if (!good.contains(e.getKey())) {
                unreadable.add(e.getKey());
            }
        }
        byPack.keySet().stream().filter(p -> !seen.contains(p)).sorted()
                .forEach(p -> problems.add("pack " + p + ": missing (named by the index)"));
        return new Result(problems, unreadable, packs, index.size(), bytes);
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

package io.lifeboat.store.maintenance;

import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.repository.Lock;
import io.lifeboat.store.repository.PackChecker;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads back a whole repository and says what is wrong and what it costs: every damaged or missing
 * pack, index file, chunk or manifest, and for each recovery point how many of its chunks cannot be
 * read. A clean repository yields no problems and no affected points.
 */
public final class Verifier {
    /** The findings: problems in words, and each affected recovery point with its unreadable chunk count. */
    public record Report(List<String> problems, Map<String, Integer> affected, int packs, int chunks, long bytes,
                         int recoveryPoints) {
        public boolean clean() {
            return problems.isEmpty() && affected.isEmpty();
        }
    }

    private final Repository repo;

    public Verifier(Repository repo) {
        this.repo = repo;
    }

    public Report verify() throws IOException {
        try (Lock lock = Lock.exclusive(repo, "verify")) {
            List<String> names = repo.manifestsWithCurrentIndex();
            PackChecker.Result packs = new PackChecker(repo).check();
            List<String> problems = new ArrayList<>(packs.problems());
            Map<String, Integer> affected = new TreeMap<>();
            for (String name : names) {
                AtomicInteger bad = new AtomicInteger();
                try {
                    ManifestChunks.of(repo, name, id -> {
                        if (!repo.contains(id) || packs.unreadable().contains(id)) {
                            bad.incrementAndGet();
                        }
                    });
                } catch (CorruptBlobException e) {
                    problems.add(e.getMessage());
                    affected.put(name, -1);
                    continue;
                }
                if (bad.get() > 0) {
                    affected.put(name, bad.get());
                }
            }
            return new Report(problems, affected, packs.packs(), packs.chunks(), packs.bytes(), names.size());
        }
    }
}

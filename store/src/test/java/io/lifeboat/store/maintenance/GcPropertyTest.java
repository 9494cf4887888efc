package io.lifeboat.store.maintenance;

import io.lifeboat.store.TempDirs;
import io.lifeboat.store.io.Progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Location;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import io.lifeboat.store.tree.TreeArchiver;
import io.lifeboat.store.tree.TreeRestorer;
import io.lifeboat.store.tree.TreeRoundTripTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Any sequence of image and tree backups (each against its parent), deletions and garbage
 * collections leaves every remaining recovery point restoring its exact bytes and metadata, and a
 * collection never frees a chunk a remaining manifest names.
 */
class GcPropertyTest {
    static final int PACK = 1 << 20;

    @Property(tries = 12)
    void anySequenceOfBackupsDeletionsAndCollectionsRestoresExactly(@ForAll long seed,
            @ForAll @IntRange(min = 3, max = 14) int steps) throws Exception {
        TempDirs.with("gc", work -> {
            LocalBackend backend = new LocalBackend(work.resolve("repo"));
            KeyWrapper keys = TestWrappers.random();
            Repository r = Repository.init(backend, keys);
            Repository collector = Repository.open(backend, keys).useGcGrace(java.time.Duration.ZERO); // frees at once
            Random random = new Random(seed);
            Map<String, byte[]> images = new HashMap<>();
            Map<String, Map<String, String>> trees = new HashMap<>();
            byte[] image = bytes(random.nextLong(), 2 << 20);
            Path tree = work.resolve("tree");
            String lastImage = null;
            String lastTree = null;
            for (int step = 0; step < steps; step++) {
                int op = random.nextInt(5);
                String name = "p" + step;
                if (op == 0 || images.isEmpty() && trees.isEmpty()) {
                    image = image.clone();
                    int at = random.nextInt(image.length - 5000);
                    System.arraycopy(bytes(random.nextLong(), 5000), 0, image, at, 5000);
                    Path file = work.resolve("disk.img");
                    Files.write(file, image);
                    new ImageArchiver(r, PACK).backup(file, name, images.containsKey(lastImage) ? lastImage : null,
                            Progress.NONE);
                    images.put(name, image);
                    lastImage = name;
                } else if (op == 1) {
                    Path f = tree.resolve("d" + random.nextInt(3)).resolve("f" + random.nextInt(6));
                    Files.createDirectories(f.getParent());
                    Files.write(f, bytes(random.nextLong(), random.nextInt(3) == 0 ? 600_000 : random.nextInt(4000)));
                    Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L + random.nextInt(1 << 30)));
                    new TreeArchiver(r, PACK).backup(tree, name, trees.containsKey(lastTree) ? lastTree : null);
                    trees.put(name, TreeRoundTripTest.describe(tree));
                    lastTree = name;
                } else if (op == 2) {
                    List<String> all = new ArrayList<>(images.keySet());
                    all.addAll(trees.keySet());
                    if (!all.isEmpty()) {
                        String victim = all.get(random.nextInt(all.size()));
                        r.deleteManifest(victim);
                        images.remove(victim);
                        trees.remove(victim);
                    }
                } else {
                    new GarbageCollector(collector, PACK).collect();
                    Set<ChunkId> needed = new HashSet<>();
                    for (String point : r.manifests()) {
                        ManifestChunks.of(r, point, needed::add);
                    }
                    Map<ChunkId, Location> indexed = new HashMap<>();
                    Repository.open(backend, keys).forEachIndexed(indexed::put);
                    assertThat(indexed.keySet()).containsAll(needed);
                }
            }
            new GarbageCollector(collector, PACK).collect();
            Repository reopened = Repository.open(backend, keys);
            for (Map.Entry<String, byte[]> p : images.entrySet()) {
                Path out = work.resolve(p.getKey() + ".out");
                new ImageRestorer(reopened).restore(p.getKey(), out);
                assertThat(Files.readAllBytes(out)).as(p.getKey()).isEqualTo(p.getValue());
            }
            for (Map.Entry<String, Map<String, String>> p : trees.entrySet()) {
                Path out = work.resolve(p.getKey() + ".tree");
                new TreeRestorer(reopened).restore(p.getKey(), "", out);
                assertThat(TreeRoundTripTest.describe(out)).as(p.getKey()).isEqualTo(p.getValue());
            }
            assertThat(new Verifier(reopened).verify().clean()).isTrue();
        });
    }

    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}

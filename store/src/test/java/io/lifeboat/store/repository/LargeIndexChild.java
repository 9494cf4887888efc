package io.lifeboat.store.repository;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.maintenance.GarbageCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * The child JVM of {@link LargeIndexTest}: opens the repository, looks up every chunk the parent
 * indexed, backs up an image and restores it, collects garbage (condemning all the parent's
 * chunks), backs the image up again, and prints what it counted.
 */
public final class LargeIndexChild {
    public static void main(String[] args) throws Exception {
        Repository repo = Repository.open(new LocalBackend(Path.of(args[0])), TestWrappers.aes(HexFormat.of().parseHex(args[1])));
        int[] indexed = {0};
        repo.forEachIndexed((id, at) -> indexed[0]++);
        Random r = new Random(LargeIndexTest.SEED);
        int found = 0;
        for (int i = 0; i < LargeIndexTest.CHUNKS; i++) {
            if (repo.contains(LargeIndexTest.id(r))) {
                found++;
            }
        }
        Path work = Files.createDirectories(Path.of(args[2]));
        byte[] data = new byte[8 << 20];
        new Random(5).nextBytes(data);
        Files.write(work.resolve("image"), data);
        new ImageArchiver(repo, 4 << 20).backup(work.resolve("image"), "image-1");
        new ImageRestorer(repo).restore("image-1", work.resolve("restored"));
        boolean equal = Files.mismatch(work.resolve("image"), work.resolve("restored")) == -1;
        // Every chunk the parent indexed is unreferenced: the collection condemns them all.
        new GarbageCollector(repo, 4 << 20).collect();
        int condemned = repo.gcState().chunks().size();
        ImageArchiver.Result again = new ImageArchiver(repo, 4 << 20).backup(work.resolve("image"), "image-2");
        System.out.println("indexed " + indexed[0] + " found " + found + " restored " + (equal ? "equal" : "different")
                + " condemned " + condemned + " new again " + again.bytesNew());
    }
}

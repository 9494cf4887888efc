package io.lifeboat.store.tree;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The child JVM of {@link LargeTreeTest}, run with a heap far smaller than the tree's metadata:
 * backs {@code source} up, changes one file, backs it up again against the first point, restores
 * the second, and prints what each step counted.
 */
public final class LargeTreeChild {
    public static void main(String[] args) throws Exception {
        Repository repo = Repository.open(new LocalBackend(Path.of(args[0])), TestWrappers.aes(HexFormat.of().parseHex(args[1])));
        Path source = Path.of(args[2]);
        TreeArchiver archiver = new TreeArchiver(repo, 1 << 20);
        TreeArchiver.Result first = archiver.backup(source, "t1", null);
        Files.writeString(source.resolve(args[4]), "changed");
        TreeArchiver.Result second = archiver.backup(source, "t2", "t1");
        TreeRestorer.Result restored = new TreeRestorer(repo).restore("t2", "", Path.of(args[3]));
        System.out.println("first " + first.files() + " second " + second.files() + " unchanged "
                + second.unchangedFiles() + " restored " + restored.files());
    }
}

package io.lifeboat.store.crash;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Path;
import java.util.HexFormat;

/** The child JVM of {@link FullDiskTest}: one image backup, run where files cannot grow past a limit. */
public final class FullDiskVictim {
    public static void main(String[] args) throws Exception {
        Repository repo = Repository.open(new LocalBackend(Path.of(args[0])),
                TestWrappers.aes(HexFormat.of().parseHex(args[1])));
        try {
            new ImageArchiver(repo, 16 << 20).backup(Path.of(args[2]), args[3], null, Progress.NONE);
            System.out.println("stored " + args[3]);
        } catch (Exception e) {
            System.out.println("failed: " + e.getMessage());
            System.exit(1);
        }
    }
}

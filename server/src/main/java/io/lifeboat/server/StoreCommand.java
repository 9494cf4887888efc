package io.lifeboat.server;

import io.lifeboat.domain.kms.MasterKey;
import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageManifest;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat store}: the operator's tool on a repository without the server, unlocked by the
 * server's master key file. Image volumes only so far (issue 3 adds trees, verify, gc, stats, S3).
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Work on a vault repository directly (no server needed).",
        subcommands = {StoreCommand.Init.class, StoreCommand.Backup.class, StoreCommand.Restore.class,
                StoreCommand.Ls.class})
final class StoreCommand {
    static final String KEYS_CONTEXT = "lifeboat repository keys";
    /** 16 MiB packs, as restic: few enough objects for S3, small enough that three fit the heap easily. */
    static final int PACK_BYTES = 16 << 20;

    /** Options every subcommand takes. */
    static class RepoOptions {
        @Option(names = "--repo", required = true, description = "Repository directory.")
        Path repo;

        @Option(names = "--master-key", required = true, description = "The server's master.key file (32 bytes).")
        Path masterKey;

        KeyWrapper wrapper() throws IOException {
            MasterKey key = new MasterKey(Files.readAllBytes(masterKey));
            return new KeyWrapper() {
                @Override
                public byte[] wrap(byte[] plaintext) {
                    return key.seal(plaintext, KEYS_CONTEXT);
                }

                @Override
                public byte[] unwrap(byte[] wrapped) throws IOException {
                    try {
                        return key.open(wrapped, KEYS_CONTEXT);
                    } catch (IllegalArgumentException e) {
                        throw new IOException("cannot unwrap the repository keys with " + masterKey
                                + " (not the key this repository was made with?)", e);
                    }
                }
            };
        }

        Repository open() throws IOException {
            return Repository.open(new LocalBackend(repo), wrapper());
        }
    }

    @Command(name = "init", description = "Create an empty repository.")
    static final class Init extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Repository r = Repository.init(new LocalBackend(repo), wrapper());
            System.out.println("created repository " + r.id() + " at " + repo);
            return 0;
        }
    }

    @Command(name = "backup", description = "Back up a disk image or block device.")
    static final class Backup extends RepoOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "Image file or block device.")
        Path image;

        @Parameters(index = "1", description = "Name of the recovery point.")
        String name;

        @Option(names = "--parent", description = "The volume's previous recovery point: changed windows are stored"
                + " leaf by leaf against it.")
        String parent;

        @Override
        public Integer call() throws IOException {
            Repository repo = open();
            ImageManifest before = parent == null ? null : new ImageRestorer(repo).manifest(parent);
            ImageArchiver.Result r = new ImageArchiver(repo, PACK_BYTES).backup(image, name, before,
                    ImageArchiver.Progress.NONE);
            System.out.printf("%s: %d bytes, %d windows (%d holes, %d with leaf overrides), %d new chunks,"
                            + " %d bytes read, %d bytes stored%n", r.manifest(), r.size(), r.windows(), r.holes(),
                    r.overriddenWindows(), r.newChunks(), r.bytesRead(), r.bytesNew());
            return 0;
        }
    }

    @Command(name = "restore", description = "Restore a recovery point's image to a file.")
    static final class Restore extends RepoOptions implements Callable<Integer> {
        @Parameters(index = "0")
        String name;

        @Parameters(index = "1")
        Path target;

        @Override
        public Integer call() throws IOException {
            new ImageRestorer(open()).restore(name, target);
            System.out.println("restored " + name + " to " + target);
            return 0;
        }
    }

    @Command(name = "ls", description = "List recovery points.")
    static final class Ls extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Repository r = open();
            ImageRestorer restorer = new ImageRestorer(r);
            for (String name : r.manifests()) {
                ImageManifest m = restorer.manifest(name);
                System.out.printf("%s\t%d bytes\t%d windows of %d%n", name, m.size(), m.count(), m.windowSize());
            }
            return 0;
        }
    }
}

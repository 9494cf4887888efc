package io.lifeboat.server;

import io.lifeboat.store.io.Progress;
import io.lifeboat.domain.kms.MasterKey;
import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.backend.S3Backend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageManifest;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.maintenance.Copier;
import io.lifeboat.store.maintenance.GarbageCollector;
import io.lifeboat.store.maintenance.Verifier;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Location;
import io.lifeboat.store.repository.Lock;
import io.lifeboat.store.repository.Sweeper;
import io.lifeboat.store.tree.Node;
import io.lifeboat.store.tree.TreeArchiver;
import io.lifeboat.store.tree.TreeManifest;
import io.lifeboat.store.tree.TreeRestorer;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat store}: the operator's tool on a repository without the server, unlocked by the
 * server's master key file, on a local directory or an S3 bucket; image and directory volumes.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Work on a vault repository directly (no server needed).",
        subcommands = {StoreCommand.Init.class, StoreCommand.Backup.class, StoreCommand.Restore.class,
                StoreCommand.Ls.class, StoreCommand.Delete.class, StoreCommand.Verify.class, StoreCommand.Gc.class,
                StoreCommand.Stats.class, StoreCommand.Unlock.class, StoreCommand.Copy.class})
final class StoreCommand {
    static final String KEYS_CONTEXT = "lifeboat repository keys";
    /** 16 MiB packs, as restic: few enough objects for S3, small enough that three fit the heap easily. */
    static final int PACK_BYTES = 16 << 20;
    /** Where S3 credentials come from: the process environment; tests substitute their own. */
    static Map<String, String> environment = System.getenv();

    /** Options every subcommand takes. */
    static class RepoOptions {
        @Option(names = "--repo", description = "Repository: a directory, or s3://bucket/prefix"
                + " (with --s3-endpoint and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).")
        String repo;

        @Option(names = "--vault", description = "Instead of --repo and --master-key: a vault of a (stopped) server, "
                + "opened through its catalog and KMS keys (with --data, --region, --account, --cold, --db-url).")
        String vault;

        @Option(names = "--data", defaultValue = "lifeboat-data", description = "The server's data directory "
                + "(default: ${DEFAULT-VALUE}), for --vault.")
        Path data;

        @Option(names = "--region", defaultValue = "us-east-1", description = "The vault's region, for --vault.")
        String region;

        @Option(names = "--account", defaultValue = "123456789012", description = "The vault's account, for --vault.")
        String account;

        @Option(names = "--cold", description = "The vault's cold tier instead of its warm store, for --vault.")
        boolean cold;

        @Option(names = "--db-url", description = "The server's PostgreSQL catalog (default: the embedded one in "
                + "--data), for --vault.")
        String dbUrl;

        @Option(names = "--s3-endpoint", description = "S3-compatible endpoint URL for s3:// repositories.")
        URI s3Endpoint;

        @Option(names = "--s3-region", defaultValue = "us-east-1", description = "Region to sign S3 requests for.")
        String s3Region;

        @Option(names = "--master-key", description = "The server's master.key file (32 bytes), with --repo.")
        Path masterKey;

        KeyWrapper wrapper() throws IOException {
            if (masterKey == null) {
                throw new ParameterException(new CommandLine(this), "--repo needs --master-key");
            }
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

        Backend backend() {
            if (vault != null) {
                return new LocalBackend(ServerVaults.location(this));
            }
            if (repo == null) {
                throw new ParameterException(new CommandLine(this), "name a repository: --repo (with --master-key) "
                        + "or --vault");
            }
            return backend(repo);
        }

        /** The backend at {@code location}: a directory, or s3://bucket/prefix with this command's S3 options. */
        Backend backend(String location) {
            if (!location.startsWith("s3://")) {
                return new LocalBackend(Path.of(location));
            }
            String rest = location.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (s3Endpoint == null) {
                throw new ParameterException(new CommandLine(this), "an s3:// repository needs --s3-endpoint");
            }
            String key = environment.get("AWS_ACCESS_KEY_ID");
            String secret = environment.get("AWS_SECRET_ACCESS_KEY");
            if (key == null || secret == null) {
                throw new ParameterException(new CommandLine(this),
                        "an s3:// repository needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
            }
            return new S3Backend(S3Backend.client(s3Endpoint, s3Region, key, secret), bucket, prefix);
        }

        Repository open() throws IOException {
            return vault != null ? ServerVaults.open(this) : Repository.open(backend(), wrapper());
        }
    }

    /** A recovery point's volume in a line: kind and size. */
    /** A recovery point's volume: its kind, logical size, and a word on its layout. */
    record Volume(String kind, long size, String layout) {
    }

    static Volume volume(Repository r, String name) throws IOException {
        byte[] manifest = r.manifest(name);
        if (TreeManifest.is(manifest)) {
            List<Node> nodes = TreeRestorer.nodes(r, name);
            return new Volume("directory", nodes.stream().mapToLong(Node::size).sum(), nodes.size() + " entries");
        }
        ImageManifest m = ImageManifest.decode(name, manifest);
        return new Volume("image", m.size(), m.count() + " windows of " + m.windowSize());
    }

    @Command(name = "init", description = "Create an empty repository.")
    static final class Init extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            if (vault != null) {
                throw new ParameterException(new CommandLine(this), "a server creates its vault stores itself");
            }
            Repository r = Repository.init(backend(), wrapper());
            System.out.println("created repository " + r.id() + " at " + repo);
            return 0;
        }
    }

    @Command(name = "backup", description = "Back up a disk image, block device or directory.")
    static final class Backup extends RepoOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "Image file, block device or directory.")
        Path image;

        @Parameters(index = "1", description = "Name of the recovery point.")
        String name;

        @Option(names = "--parent", description = "The volume's previous recovery point: changed windows are stored"
                + " leaf by leaf against it.")
        String parent;

        @Override
        public Integer call() throws IOException {
            if (Files.isDirectory(image)) {
                TreeArchiver.Result t = new TreeArchiver(open(), PACK_BYTES).backup(image, name, parent);
                System.out.printf("%s: %d files (%d unchanged), %d directories, %d new chunks, %d bytes read,"
                                + " %d bytes stored%n", t.manifest(), t.files(), t.unchangedFiles(), t.directories(),
                        t.newChunks(), t.bytesRead(), t.bytesNew());
                return 0;
            }
            ImageArchiver.Result r = new ImageArchiver(open(), PACK_BYTES).backup(image, name, parent,
                    Progress.NONE);
            System.out.printf("%s: %d bytes, %d windows (%d holes, %d with leaf overrides), %d new chunks,"
                            + " %d bytes read, %d bytes stored%n", r.manifest(), r.size(), r.windows(), r.holes(),
                    r.overriddenWindows(), r.newChunks(), r.bytesRead(), r.bytesNew());
            return 0;
        }
    }

    @Command(name = "restore", description = "Restore a recovery point: an image to a file or device, a"
            + " directory volume (or --path within it) under a directory.")
    static final class Restore extends RepoOptions implements Callable<Integer> {
        @Parameters(index = "0")
        String name;

        @Parameters(index = "1")
        Path target;

        @Option(names = "--path", defaultValue = "", description = "Directory volumes: restore only this file or"
                + " subtree (relative to the volume's root).")
        String path;

        @Override
        public Integer call() throws IOException {
            Repository r = open();
            if (TreeManifest.is(r.manifest(name))) {
                TreeRestorer.Result t = new TreeRestorer(r).restore(name, path, target);
                System.out.printf("restored %s to %s: %d files, %d directories, %d links, %d bytes%s%s%n", name,
                        target, t.files(), t.directories(), t.links(), t.bytes(),
                        t.skipped() > 0 ? ", " + t.skipped() + " devices/fifos/sockets not created" : "",
                        t.ownersNotRestored() > 0 ? ", owners not restored on " + t.ownersNotRestored() : "");
                return 0;
            }
            new ImageRestorer(r).restore(name, target);
            System.out.println("restored " + name + " to " + target);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a recovery point (its data is freed by gc).")
    static final class Delete extends RepoOptions implements Callable<Integer> {
        @Parameters(index = "0")
        String name;

        @Override
        public Integer call() throws IOException {
            Repository r = open();
            if (!r.manifests().contains(name)) {
                throw new ParameterException(new CommandLine(this), "no recovery point named " + name);
            }
            r.deleteManifest(name);
            System.out.println("deleted " + name);
            return 0;
        }
    }

    @Command(name = "verify", description = "Read back every pack, index and manifest; name what is damaged"
            + " and which recovery points it affects. Exit status 1 when anything is.")
    static final class Verify extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Verifier.Report r = new Verifier(open()).verify();
            r.problems().forEach(p -> System.out.println("damaged: " + p));
            r.affected().forEach((point, chunks) -> System.out.println("affected recovery point: " + point
                    + (chunks < 0 ? " (manifest unreadable)" : " (" + chunks + " chunks unreadable)")));
            System.out.printf("%s: %d packs, %d chunks, %d bytes, %d recovery points checked%n",
                    r.clean() ? "clean" : "DAMAGED", r.packs(), r.chunks(), r.bytes(), r.recoveryPoints());
            return r.clean() ? 0 : 1;
        }
    }

    @Command(name = "gc", description = "Free the data no recovery point uses: mark and sweep with a grace period"
            + " (what is unused is condemned, and deleted by a later gc once unused for the whole period); repacks"
            + " packs more than half dead. Safe while backups run.")
    static final class Gc extends RepoOptions implements Callable<Integer> {
        @Option(names = "--grace", defaultValue = "PT24H", description = "Grace period (ISO-8601, default PT24H)."
                + " Backups must finish within half of it. PT0S frees at once: only when nothing writes.")
        Duration grace;

        @Override
        public Integer call() throws IOException {
            Sweeper.Result r = new GarbageCollector(open().useGcGrace(grace), PACK_BYTES).collect();
            System.out.printf("deleted %d packs, repacked %d, dropped %d chunks, freed %d bytes%n",
                    r.packsDeleted(), r.packsRepacked(), r.chunksDropped(), r.bytesFreed());
            return 0;
        }
    }

    @Command(name = "stats", description = "Sizes: recovery points, chunks, packs, stored and logical bytes.")
    static final class Stats extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Repository r = open();
            long stored = 0;
            long plain = 0;
            for (Location at : r.index().values()) {
                stored += at.sealedLength();
                plain += at.plainLength();
            }
            long logical = 0;
            List<String> points = r.manifests();
            for (String name : points) {
                logical += volume(r, name).size();
            }
            System.out.printf("recovery points: %d%nlogical bytes: %d%nchunks: %d%nunique bytes: %d%n"
                            + "stored bytes: %d%npacks: %d%n", points.size(), logical, r.index().size(), plain,
                    stored, r.backend().list("data/").size());
            return 0;
        }
    }

    @Command(name = "copy", description = "Copy a recovery point into another repository (re-encrypted under its"
            + " keys; only chunks it lacks are written).")
    static final class Copy extends RepoOptions implements Callable<Integer> {
        @Parameters(index = "0")
        String name;

        @Option(names = "--to", required = true, description = "Destination repository (directory or s3:// URL,"
                + " same S3 options), unlocked by the same master key.")
        String to;

        @Option(names = "--as", description = "Name in the destination (default: the same).")
        String as;

        @Override
        public Integer call() throws IOException {
            Repository from = open();
            Repository into = Repository.open(backend(to), wrapper());
            Copier.Result r = new Copier(PACK_BYTES).copy(from, name, into, as == null ? name : as);
            System.out.printf("copied %s: %d chunks, %d written, %d bytes stored%n", name, r.chunks(),
                    r.chunksWritten(), r.bytesWritten());
            return 0;
        }
    }

    @Command(name = "unlock", description = "Remove every lock: after a crash left one behind. Only when no"
            + " gc or verify is running on this repository.")
    static final class Unlock extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            System.out.println("removed " + Lock.removeAll(open()) + " locks");
            return 0;
        }
    }

    @Command(name = "ls", description = "List recovery points.")
    static final class Ls extends RepoOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Repository r = open();
            for (String name : r.manifests()) {
                Volume v = volume(r, name);
                System.out.println(name + "\t" + v.kind() + "\t" + v.size() + " bytes\t" + v.layout());
            }
            return 0;
        }
    }
}

package io.lifeboat.server;

import static io.lifeboat.server.Cli.Option.flag;
import static io.lifeboat.server.Cli.Option.value;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code lifeboat store}: the operator's tool on a repository without the server, unlocked by the
 * server's master key file, on a local directory or an S3 bucket; image and directory volumes.
 */
final class StoreCommand {
    static final String KEYS_CONTEXT = "lifeboat repository keys";
    /** Where S3 credentials come from: the process environment; tests substitute their own. */
    static Map<String, String> environment = System.getenv();

    private StoreCommand() {
    }

    /** Options every subcommand takes. */
    static final List<Cli.Option> REPO_OPTIONS = List.of(
            value("--repo", "<repo>", "Repository: a directory, or s3://bucket/prefix (with --s3-endpoint and"
                    + " AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)."),
            value("--master-key", "<file>", "The server's master.key file (32 bytes), with --repo."),
            value("--vault", "<name>", "Instead of --repo and --master-key: a vault of a (stopped) server, opened"
                    + " through its catalog and KMS keys (with --data, --region, --account, --cold, --db-url)."),
            value("--data", "<dir>", "The server's data directory, for --vault.").orElse("lifeboat-data"),
            value("--region", "<region>", "The vault's region, for --vault.").orElse("us-east-1"),
            value("--account", "<id>", "The vault's account, for --vault.").orElse("123456789012"),
            flag("--cold", "The vault's cold tier instead of its warm store, for --vault."),
            value("--db-url", "<jdbc-url>", "The server's PostgreSQL catalog (default: the embedded one in --data),"
                    + " for --vault."),
            value("--s3-endpoint", "<url>", "S3-compatible endpoint URL for s3:// repositories."),
            value("--s3-region", "<region>", "Region to sign S3 requests for.").orElse("us-east-1"));

    /** Where a command's repository is and how it is unlocked, from the options above. */
    static final class RepoOptions {
        final String repo;
        final String vault;
        final Path data;
        final String region;
        final String account;
        final boolean cold;
        final String dbUrl;
        final URI s3Endpoint;
        final String s3Region;
        final Path masterKey;

        RepoOptions(Cli.Parsed p) {
            repo = p.get("--repo");
            vault = p.get("--vault");
            data = p.path("--data");
            region = p.get("--region");
            account = p.get("--account");
            cold = p.flag("--cold");
            dbUrl = p.get("--db-url");
            s3Endpoint = p.uri("--s3-endpoint");
            s3Region = p.get("--s3-region");
            masterKey = p.path("--master-key");
        }

        KeyWrapper wrapper() throws IOException {
            if (masterKey == null) {
                throw new Cli.UsageError("--repo needs --master-key");
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
                throw new Cli.UsageError("name a repository: --repo (with --master-key) or --vault");
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
                throw new Cli.UsageError("an s3:// repository needs --s3-endpoint");
            }
            String key = environment.get("AWS_ACCESS_KEY_ID");
            String secret = environment.get("AWS_SECRET_ACCESS_KEY");
            if (key == null || secret == null) {
                throw new Cli.UsageError(
                        "an s3:// repository needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
            }
            return new S3Backend(S3Backend.client(s3Endpoint, s3Region, key, secret), bucket, prefix);
        }

        Repository open() throws IOException {
            return vault != null ? ServerVaults.open(this) : Repository.open(backend(), wrapper());
        }
    }

    /** A recovery point's volume: its kind, logical size, and a word on its layout. */
    record Volume(String kind, long size, String layout) {
    }

    static Volume volume(Repository r, String name) throws IOException {
        byte[] manifest = r.manifest(name);
        if (TreeManifest.is(manifest)) {
            TreeManifest.Reader nodes = TreeManifest.reader(r, name, manifest);
            long size = 0;
            int entries = 0;
            for (Node n = nodes.next(); n != null; n = nodes.next()) {
                size += n.size();
                entries++;
            }
            return new Volume("directory", size, entries + " entries");
        }
        ImageManifest m = ImageManifest.decode(name, manifest);
        return new Volume("image", m.size(), m.count() + " windows of " + m.windowSize());
    }

    /** A subcommand taking the repository options and {@code more}. */
    private static Cli.Command command(String name, String help, List<String> parameters, List<Cli.Option> more,
                                       Cli.Action action) {
        List<Cli.Option> options = new ArrayList<>(REPO_OPTIONS);
        options.addAll(more);
        return new Cli.Command(name, help, parameters, List.copyOf(options), action);
    }

    static final List<Cli.Command> COMMANDS = List.of(
            command("init", "Create an empty repository.", List.of(), List.of(), StoreCommand::init),
            command("backup", "Back up a disk image, block device or directory.", List.of("<volume>", "<name>"),
                    List.of(value("--parent", "<name>", "The volume's previous recovery point: unchanged files are"
                            + " not read again, changed windows are stored leaf by leaf against it.")),
                    StoreCommand::backup),
            command("restore", "Restore a recovery point: an image to a file or device, a directory volume (or"
                    + " --path within it) under a directory.", List.of("<name>", "<target>"),
                    List.of(value("--path", "<path>", "Directory volumes: restore only this file or subtree"
                            + " (relative to the volume's root).").orElse("")),
                    StoreCommand::restore),
            command("ls", "List recovery points.", List.of(), List.of(), StoreCommand::ls),
            command("delete", "Delete a recovery point (its data is freed by gc).", List.of("<name>"), List.of(),
                    StoreCommand::delete),
            command("verify", "Read back every pack, index and manifest; name what is damaged and which recovery"
                    + " points it affects. Exit status 1 when anything is.", List.of(), List.of(),
                    StoreCommand::verify),
            command("gc", "Free the data no recovery point uses: mark and sweep with a grace period (what is"
                    + " unused is condemned, and deleted by a later gc once unused for the whole period); repacks"
                    + " packs more than half dead. Safe while backups run.", List.of(),
                    List.of(value("--grace", "<duration>", "Grace period (ISO-8601). Backups must finish within"
                            + " half of it. PT0S frees at once: only when nothing writes.").orElse("PT24H")),
                    StoreCommand::gc),
            command("stats", "Sizes: recovery points, chunks, packs, stored and logical bytes.", List.of(),
                    List.of(), StoreCommand::stats),
            command("unlock", "Remove every lock: after a crash left one behind. Only when no gc or verify is"
                    + " running on this repository.", List.of(), List.of(), StoreCommand::unlock),
            command("copy", "Copy a recovery point into another repository (re-encrypted under its keys; only"
                    + " chunks it lacks are written).", List.of("<name>"),
                    List.of(value("--to", "<repo>", "Destination repository (directory or s3:// URL, same S3"
                                    + " options), unlocked by the same master key. Required."),
                            value("--as", "<name>", "Name in the destination (default: the same).")),
                    StoreCommand::copy),
            StoreSelfTest.COMMAND);

    /** {@code lifeboat store}: the commands above, as one group of the command line. */
    static final Cli.Command GROUP = Cli.Command.group("store",
            "Work on a vault repository directly (no server needed).", COMMANDS);

    private static int init(Cli.Parsed p) throws IOException {
        RepoOptions o = new RepoOptions(p);
        if (o.vault != null) {
            throw new Cli.UsageError("a server creates its vault stores itself");
        }
        Repository r = Repository.init(o.backend(), o.wrapper());
        System.out.println("created repository " + r.id() + " at " + o.repo);
        return 0;
    }

    private static int backup(Cli.Parsed p) throws IOException {
        backup(new RepoOptions(p).open(), Path.of(p.parameter(0)), p.parameter(1), p.get("--parent"));
        return 0;
    }

    /** Backs up an image or a directory volume and says what it stored. */
    static void backup(Repository repo, Path volume, String name, String parent) throws IOException {
        if (Files.isDirectory(volume)) {
            TreeArchiver.Result t = new TreeArchiver(repo, Repository.PACK_BYTES).backup(volume, name, parent);
            System.out.printf("%s: %d files (%d unchanged), %d directories, %d new chunks, %d bytes read,"
                            + " %d bytes stored%n", t.manifest(), t.files(), t.unchangedFiles(), t.directories(),
                    t.newChunks(), t.bytesRead(), t.bytesNew());
            return;
        }
        ImageArchiver.Result r = new ImageArchiver(repo, Repository.PACK_BYTES).backup(volume, name, parent,
                Progress.NONE);
        System.out.printf("%s: %d bytes, %d windows (%d holes, %d with leaf overrides), %d new chunks,"
                        + " %d bytes read, %d bytes stored%n", r.manifest(), r.size(), r.windows(), r.holes(),
                r.overriddenWindows(), r.newChunks(), r.bytesRead(), r.bytesNew());
    }

    private static int restore(Cli.Parsed p) throws IOException {
        restore(new RepoOptions(p).open(), p.parameter(0), p.get("--path"), Path.of(p.parameter(1)));
        return 0;
    }

    /** Restores a recovery point (for a directory volume, {@code path} within it: "" for all) to {@code target}. */
    static void restore(Repository r, String name, String path, Path target) throws IOException {
        if (TreeManifest.is(r.manifest(name))) {
            TreeRestorer.Result t = new TreeRestorer(r).restore(name, path, target);
            System.out.printf("restored %s to %s: %d files, %d directories, %d links, %d bytes%s%s%n", name,
                    target, t.files(), t.directories(), t.links(), t.bytes(),
                    t.skipped() > 0 ? ", " + t.skipped() + " devices/fifos/sockets not created" : "",
                    t.ownersNotRestored() > 0 ? ", owners not restored on " + t.ownersNotRestored() : "");
            return;
        }
        new ImageRestorer(r).restore(name, target);
        System.out.println("restored " + name + " to " + target);
    }

    private static int ls(Cli.Parsed p) throws IOException {
        Repository r = new RepoOptions(p).open();
        for (String name : r.manifests()) {
            Volume v = volume(r, name);
            System.out.println(name + "\t" + v.kind() + "\t" + v.size() + " bytes\t" + v.layout());
        }
        return 0;
    }

    private static int delete(Cli.Parsed p) throws IOException {
        String name = p.parameter(0);
        Repository r = new RepoOptions(p).open();
        if (!r.manifests().contains(name)) {
            throw new Cli.UsageError("no recovery point named " + name);
        }
        r.deleteManifest(name);
        System.out.println("deleted " + name);
        return 0;
    }

    private static int verify(Cli.Parsed p) throws IOException {
        Verifier.Report r = new Verifier(new RepoOptions(p).open()).verify();
        r.problems().forEach(x -> System.out.println("damaged: " + x));
        r.affected().forEach((point, chunks) -> System.out.println("affected recovery point: " + point
                + (chunks < 0 ? " (manifest unreadable)" : " (" + chunks + " chunks unreadable)")));
        System.out.printf("%s: %d packs, %d chunks, %d bytes, %d recovery points checked%n",
                r.clean() ? "clean" : "DAMAGED", r.packs(), r.chunks(), r.bytes(), r.recoveryPoints());
        return r.clean() ? 0 : 1;
    }

    private static int gc(Cli.Parsed p) throws IOException {
        Repository repo = new RepoOptions(p).open().useGcGrace(p.duration("--grace"));
        Sweeper.Result r = new GarbageCollector(repo, Repository.PACK_BYTES).collect();
        System.out.printf("deleted %d packs, repacked %d, dropped %d chunks, freed %d bytes%s%n",
                r.packsDeleted(), r.packsRepacked(), r.chunksDropped(), r.bytesFreed(),
                r.abandonedUploadsDeleted() == 0 ? "" : ", removed " + r.abandonedUploadsDeleted() + " abandoned uploads");
        return 0;
    }

    private static int stats(Cli.Parsed p) throws IOException {
        Repository r = new RepoOptions(p).open();
        long[] chunks = new long[3]; // count, stored, plaintext bytes
        r.forEachIndexed((id, at) -> {
            chunks[0]++;
            chunks[1] += at.sealedLength();
            chunks[2] += at.plainLength();
        });
        long logical = 0;
        List<String> points = r.manifests();
        for (String name : points) {
            logical += volume(r, name).size();
        }
        System.out.printf("recovery points: %d%nlogical bytes: %d%nchunks: %d%nunique bytes: %d%n"
                        + "stored bytes: %d%npacks: %d%n", points.size(), logical, chunks[0], chunks[2],
                chunks[1], r.backend().list("data/").size());
        return 0;
    }

    private static int unlock(Cli.Parsed p) throws IOException {
        System.out.println("removed " + Lock.removeAll(new RepoOptions(p).open()) + " locks");
        return 0;
    }

    private static int copy(Cli.Parsed p) throws IOException {
        String name = p.parameter(0);
        String to = p.required("--to");
        String as = p.get("--as");
        RepoOptions o = new RepoOptions(p);
        Repository from = o.open();
        Repository into = Repository.open(o.backend(to), o.wrapper());
        Copier.Result r = new Copier(Repository.PACK_BYTES).copy(from, name, into, as == null ? name : as);
        System.out.printf("copied %s: %d chunks, %d written, %d bytes stored%n", name, r.chunks(),
                r.chunksWritten(), r.bytesWritten());
        return 0;
    }
}

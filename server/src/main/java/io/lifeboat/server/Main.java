package io.lifeboat.server;

import static io.lifeboat.server.Cli.Option.flag;
import static io.lifeboat.server.Cli.Option.value;

import io.lifeboat.domain.Quotas;
import io.lifeboat.edge.sigv4.AccessKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The {@code lifeboat} command line: {@code serve} and {@code store}. */
public final class Main {
    static final String VERSION = "Lifeboat 0.1.0";

    private Main() {
    }

    public static void main(String[] args) {
        // JNA builds its library search path at first use by running ldconfig -p (a process, ~50 ms of
        // every start) unless this is set; the store names libcrypto.so.3 and libc exactly, and the
        // dynamic loader finds those through its own cache.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit status (0 done, 1 failed, 2 bad usage). */
    static int run(String... args) {
        List<String> a = List.of(args);
        if (!a.isEmpty() && (a.get(0).equals("--version") || a.get(0).equals("-V"))) {
            System.out.println(VERSION);
            return 0;
        }
        return Cli.dispatch("lifeboat", "A self-hosted backup service that speaks the AWS Backup API (" + VERSION
                + "; --version).", List.of(SERVE, StoreCommand.GROUP), a, System.out, System.err);
    }

    static final Cli.Command SERVE = new Cli.Command("serve", "Run the Lifeboat server.", List.of(), List.of(
            value("--data", "<dir>", "Data directory.").orElse("lifeboat-data"),
            value("--host", "<address>", "Address to listen on.").orElse("127.0.0.1"),
            value("--port", "<port>", "Port to listen on.").orElse("4566"),
            value("--db-url", "<jdbc-url>", "JDBC URL of a PostgreSQL database (default: embedded H2 in the data"
                    + " directory; or LIFEBOAT_DB_URL).").orElse(System.getenv("LIFEBOAT_DB_URL")),
            value("--db-user", "<user>", "Database user (or LIFEBOAT_DB_USER).")
                    .orElse(System.getenv("LIFEBOAT_DB_USER")),
            value("--db-password", "<password>", "Database password (or LIFEBOAT_DB_PASSWORD).")
                    .orElse(System.getenv("LIFEBOAT_DB_PASSWORD")),
            flag("--insecure-accept-any-credentials", "Skip signature checks and act as the default account. Only"
                    + " for throwaway test rigs."),
            value("--machines", "<file>", "JSON file declaring existing machines (image files, block devices,"
                    + " directories) to show as instances; see README.md."),
            value("--job-workers", "<n>", "Backup and restore jobs this node runs at once.").orElse("2"),
            value("--job-read-limit", "<MiB/s>", "Read at most this many MiB/s from a volume per job (0: no limit).")
                    .orElse("0"),
            value("--job-lease", "<duration>", "How long a node may go without renewing a running job's lease"
                    + " before other nodes take it for dead (ISO-8601).").orElse("PT60S"),
            value("--max-vaults-per-region", "<n>", "Vault quota per account and region (AWS: 300).").orElse("300"),
            value("--max-plans-per-region", "<n>", "Backup plan quota per account and region (AWS: 300).")
                    .orElse("300")),
            Main::serve);

    private static int serve(Cli.Parsed p) throws InterruptedException {
        Path data = p.path("--data");
        boolean anyCredentials = p.flag("--insecure-accept-any-credentials");
        Config config = Config.defaults(data).withHost(p.get("--host")).withPort(p.integer("--port"))
                .withDatabase(p.get("--db-url"), p.get("--db-user"), p.get("--db-password"))
                .withAnyCredentials(anyCredentials)
                .withQuotas(new Quotas(p.integer("--max-vaults-per-region"), p.integer("--max-plans-per-region")))
                .withMachines(p.path("--machines"))
                .withJobs(new Config.Jobs(p.integer("--job-workers"), p.duration("--job-lease"),
                        p.number("--job-read-limit") << 20));
        Application app = Application.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "lifeboat-shutdown"));
        System.out.println("Lifeboat is listening on " + app.endpoint() + " (data in " + data.toAbsolutePath() + ")");
        if (anyCredentials) {
            System.out.println("WARNING: signatures are not verified; any credentials act as account "
                    + config.defaultAccountId() + ".");
        } else if (app.accessKeysCreated()) {
            AccessKey k = app.accessKeys().get(0);
            System.out.println("Created credentials for account " + k.accountId() + " (shown once; kept in "
                    + data.resolve(Secrets.CREDENTIALS_FILE) + "):");
            System.out.println("  export AWS_ACCESS_KEY_ID=" + k.accessKeyId());
            System.out.println("  export AWS_SECRET_ACCESS_KEY=" + k.secretAccessKey());
            System.out.println("  export AWS_DEFAULT_REGION=us-east-1");
        }
        System.out.println("  aws --endpoint-url " + app.endpoint() + " backup list-backup-vaults");
        stopped.await();
        return 0;
    }
}

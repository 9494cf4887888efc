package io.lifeboat.server;

import io.lifeboat.edge.sigv4.AccessKey;
import io.lifeboat.domain.Quotas;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code lifeboat} command line. */
@Command(name = "lifeboat", mixinStandardHelpOptions = true, version = "Lifeboat 0.1.0",
        description = "A self-hosted backup service that speaks the AWS Backup API.",
        subcommands = {Main.Serve.class, StoreCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line; a failure prints one line naming what went wrong, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("lifeboat: " + e.getMessage());
            return 1;
        });
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Lifeboat server.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--data", description = "Data directory (default: ${DEFAULT-VALUE}).", defaultValue = "lifeboat-data")
        Path data;

        @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "4566")
        int port;

        @Option(names = "--db-url", description = "JDBC URL of a PostgreSQL database (default: embedded H2 in the data directory).",
                defaultValue = "${env:LIFEBOAT_DB_URL}")
        String dbUrl;

        @Option(names = "--db-user", defaultValue = "${env:LIFEBOAT_DB_USER}")
        String dbUser;

        @Option(names = "--db-password", description = "Database password (or LIFEBOAT_DB_PASSWORD).",
                defaultValue = "${env:LIFEBOAT_DB_PASSWORD}")
        String dbPassword;

        @Option(names = "--insecure-accept-any-credentials",
                description = "Skip signature checks and act as the default account. Only for throwaway test rigs.")
        boolean anyCredentials;

        @Option(names = "--machines", description = "JSON file declaring existing machines (image files, block "
                + "devices, directories) to show as instances; see README.md.")
        Path machines;

        @Option(names = "--job-workers", description = "Backup and restore jobs this node runs at once "
                + "(default: ${DEFAULT-VALUE}).", defaultValue = "2")
        int jobWorkers;

        @Option(names = "--job-read-limit", description = "Read at most this many MiB/s from a volume per job "
                + "(default: no limit).", defaultValue = "0")
        long jobReadMiBs;

        @Option(names = "--job-lease", description = "How long a node may go without renewing a running job's "
                + "lease before other nodes take it for dead (ISO-8601, default: ${DEFAULT-VALUE}).",
                defaultValue = "PT60S")
        java.time.Duration jobLease;

        @Option(names = "--max-vaults-per-region", description = "Vault quota per account and region (AWS: 300).",
                defaultValue = "300")
        int maxVaults;

        @Option(names = "--max-plans-per-region", description = "Backup plan quota per account and region (AWS: 300).",
                defaultValue = "300")
        int maxPlans;

        @Override
        public Integer call() throws InterruptedException {
            Config config = Config.defaults(data).withHost(host).withPort(port)
                    .withDatabase(dbUrl, dbUser, dbPassword).withAnyCredentials(anyCredentials)
                    .withQuotas(new Quotas(maxVaults, maxPlans)).withMachines(machines)
                    .withJobs(new Config.Jobs(jobWorkers, jobLease, jobReadMiBs << 20));
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
}

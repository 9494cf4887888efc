package io.lifeboat.testing;

import io.lifeboat.edge.sigv4.AccessKey;
import io.lifeboat.server.Application;
import io.lifeboat.server.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A whole Lifeboat server in-process on a random loopback port, with real SDK clients pointed at
 * it. The database is the embedded H2 in a fresh data directory, or, when the system property
 * {@code lifeboat.test.db=postgres} is set, a fresh PostgreSQL database created on the server
 * named by {@code LIFEBOAT_TEST_POSTGRES} (a JDBC URL with user and password).
 */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final String dbUrl;
    private final UnaryOperator<Config> tweak;
    private final boolean ownsDataDir;
    private Application app;

    private TestServer(Path dataDir, String dbUrl, UnaryOperator<Config> tweak, boolean ownsDataDir) {
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
        this.tweak = tweak;
        this.ownsDataDir = ownsDataDir;
        this.app = Application.start(config(0));
    }

    public static TestServer start() {
        return start(c -> c);
    }

    /** A server whose configuration the test adjusts (quotas, limits). */
    public static TestServer start(UnaryOperator<Config> tweak) {
        try {
            return new TestServer(Files.createTempDirectory("lifeboat-test"),
                    usePostgres() ? freshPostgresDatabase() : null, tweak, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on a data directory the test prepared (credentials, keys). */
    public static TestServer startIn(Path dataDir, UnaryOperator<Config> tweak) {
        return new TestServer(dataDir, usePostgres() ? freshPostgresDatabase() : null, tweak, false);
    }

    public static boolean usePostgres() {
        return "postgres".equals(System.getProperty("lifeboat.test.db"));
    }

    public static String databaseName() {
        return usePostgres() ? "PostgreSQL" : "H2";
    }

    private Config config(int port) {
        Config c = tweak.apply(Config.defaults(dataDir).withPort(port));
        return dbUrl == null ? c : c.withDatabase(dbUrl, null, null);
    }

    /** A new, empty database on the PostgreSQL server LIFEBOAT_TEST_POSTGRES names. */
    public static String freshPostgresDatabase() {
        String admin = System.getenv("LIFEBOAT_TEST_POSTGRES");
        if (admin == null || admin.isBlank()) {
            throw new IllegalStateException("lifeboat.test.db=postgres needs LIFEBOAT_TEST_POSTGRES (a JDBC URL)");
        }
        String name = "lb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + admin, e);
        }
        int q = admin.indexOf('?');
        String base = q < 0 ? admin : admin.substring(0, q);
        String params = q < 0 ? "" : admin.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + params;
    }

    /** Another node on the same database and data directory (several nodes share a PostgreSQL database). */
    public TestServer secondNode(UnaryOperator<Config> nodeTweak) {
        return new TestServer(dataDir, dbUrl, nodeTweak, false);
    }

    /** Stops the server and starts it again on the same data (and port), as after a restart. */
    public void restart() {
        int port = app.port();
        app.close();
        app = Application.start(config(port));
    }

    public URI endpoint() {
        return URI.create(app.endpoint());
    }

    public Path dataDir() {
        return dataDir;
    }

    public AccessKey key() {
        return app.accessKeys().get(0);
    }

    public <B extends AwsClientBuilder<B, C>, C> C client(B builder, Region region) {
        return client(builder, region, key());
    }

    public <B extends AwsClientBuilder<B, C>, C> C client(B builder, Region region, AccessKey key) {
        return builder.endpointOverride(endpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
                .build();
    }

    /** A Backup client in us-east-1 signing with the given key. */
    public BackupClient backup(AccessKey key) {
        return client(BackupClient.builder().httpClient(UrlConnectionHttpClient.create()), Region.US_EAST_1, key);
    }

    public BackupClient backup() {
        return backup(Region.US_EAST_1);
    }

    public BackupClient backup(Region region) {
        return client(BackupClient.builder().httpClient(UrlConnectionHttpClient.create()), region);
    }

    public IamClient iam() {
        return client(IamClient.builder().httpClient(UrlConnectionHttpClient.create()), Region.AWS_GLOBAL);
    }

    public KmsClient kms() {
        return client(KmsClient.builder().httpClient(UrlConnectionHttpClient.create()), Region.US_EAST_1);
    }

    public Ec2Client ec2() {
        return ec2(Region.US_EAST_1);
    }

    public Ec2Client ec2(Region region) {
        return client(Ec2Client.builder().httpClient(UrlConnectionHttpClient.create()), region);
    }

    /**
     * Posts to the signed clock endpoint: {@code {"set": ...}} or {@code {"advance": "P1D"}}; returns
     * the clock as the server then reports it.
     */
    public String clock(String json) {
        RawClient.Response r = new RawClient(this).signed("lifeboat", "POST", "/_lifeboat/clock", "application/json",
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8), key().accessKeyId(), key().secretAccessKey(),
                java.time.Clock.systemUTC());
        if (r.status() != 200) {
            throw new AssertionError("clock " + json + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    public StsClient sts() {
        return client(StsClient.builder().httpClient(UrlConnectionHttpClient.create()), Region.US_EAST_1);
    }

    /** Stops the server; a data directory it made for itself goes with it (volumes and vaults are large). */
    @Override
    public void close() {
        app.close();
        if (ownsDataDir) {
            deleteTree(dataDir);
        }
    }

    public static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + root, e);
        }
    }
}

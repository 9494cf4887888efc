package io.lifeboat.engine.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.job.WorkQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The SQL database: embedded H2 in the data directory by default, PostgreSQL when configured.
 * Owns the connection pool and brings the schema up to date at open. Dialect differences are
 * confined to {@link Dialect}.
 */
public final class Database implements AutoCloseable {

    /** The few places where H2 and PostgreSQL differ. */
    public enum Dialect {
        H2("VARCHAR(1000000)"), POSTGRESQL("TEXT");

        private final String textType;

        Dialect(String textType) {
            this.textType = textType;
        }
    }

    private static final String[] MIGRATIONS = {"V1__catalog.sql", "V2__counters.sql", "V3__work.sql", "V4__work_indexes.sql"};

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final JdbcCatalog catalog;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
        this.catalog = new JdbcCatalog(this);
    }

    /**
     * The embedded database under {@code dataDir}. Its page cache is 4 MiB rather than H2's default
     * share of the heap: under a stream of writes every cached page is replaced within seconds, so a
     * large cache only keeps pages alive through several young collections, each of which copies
     * them; that copying doubled the collector's pauses and the p99 of creates (docs/benchmarks.md).
     * The file's pages stay in the operating system's cache either way.
     */
    public static Database embedded(Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.resolve("catalog").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE"
                + ";CACHE_SIZE=4096";
        return open(url, "lifeboat", "");
    }

    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(jdbcUrl.startsWith("jdbc:h2:") ? 8 : 16);
        config.setPoolName("lifeboat-db");
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        Dialect dialect = jdbcUrl.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.H2;
        Database db = new Database(pool, dialect);
        try {
            db.migrate();
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot bring the database schema up to date: " + e.getMessage(), e);
        }
        return db;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Catalog catalog() {
        return catalog;
    }

    public WorkQueue workQueue() {
        return new JdbcWorkQueue(pool, catalog);
    }

    /** Applies the migrations not yet applied, in order, each in its own transaction. */
    private void migrate() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (dialect == Dialect.POSTGRESQL) {
                    s.execute("SELECT pg_advisory_xact_lock(7464161)"); // one node migrates at a time
                }
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
            }
            int current = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            for (int v = current + 1; v <= MIGRATIONS.length; v++) {
                for (String statement : script(MIGRATIONS[v - 1]).split(";\\s*\\n")) {
                    if (hasSql(statement)) {
                        try (Statement s = c.createStatement()) {
                            s.execute(statement);
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?)")) {
                    p.setInt(1, v);
                    p.setLong(2, System.currentTimeMillis());
                    p.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private static boolean hasSql(String statement) {
        return statement.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("--"));
    }

    private String script(String name) {
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${text}", dialect.textType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

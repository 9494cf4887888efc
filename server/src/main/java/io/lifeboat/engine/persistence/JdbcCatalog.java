package io.lifeboat.engine.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The catalog on JDBC. Records are stored as JSON of the domain records; a transaction binds one
 * connection to the calling thread so that nested calls share it. Parsed records are cached by
 * their JSON text (domain records are immutable values), which spares listings most of their
 * parsing; a changed record has different text, so the cache never serves a stale one.
 */
final class JdbcCatalog implements Catalog {
    /** Buffers pooled across threads, as in the protocol layer's mapper: requests run on virtual threads. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int PARSED_CACHE_ENTRIES = 20_000;

    private final Database db;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final Map<String, Object> parsed = new ConcurrentHashMap<>();

    JdbcCatalog(Database db) {
        this.db = db;
    }

    @FunctionalInterface
    private interface Work<R> {
        R run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Rows<R> {
        R read(ResultSet rs) throws SQLException;
    }

    /** Runs work on the transaction's connection, or on a pooled one for a single statement. */
    private <R> R withConnection(Work<R> work) {
        Connection bound = current.get();
        try {
            if (bound != null) {
                return work.run(bound);
            }
            try (Connection c = db.dataSource().getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Connection-level access for the other tables, sharing this catalog's transaction. */
    interface ConnectionWork<R> {
        R run(Connection c) throws SQLException;
    }

    <R> R onConnection(ConnectionWork<R> work) {
        return withConnection(work::run);
    }

    private static RuntimeException translate(SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return new Duplicate(e.getMessage());
        }
        return new IllegalStateException("database: " + e.getMessage(), e);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args)) {
            return p.executeUpdate();
        }
    }

    private static <R> R query(Connection c, Rows<R> rows, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            return rows.read(rs);
        }
    }

    private int update(String sql, Object... args) {
        return withConnection(c -> update(c, sql, args));
    }

    private <R> R query(Rows<R> rows, String sql, Object... args) {
        return withConnection(c -> query(c, rows, sql, args));
    }

    @Override
    public <R> R transaction(Supplier<R> work) {
        if (current.get() != null) {
            return work.get();
        }
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                R result = work.get();
                c.commit();
                return result;
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public <T> Optional<T> get(Kind<T> kind, String scope, String id) {
        return query(rs -> rs.next() ? Optional.of(read(kind, rs.getString(1))) : Optional.<T>empty(),
                "SELECT doc FROM resources WHERE kind = ? AND scope = ? AND id = ?", kind.name(), scope, id);
    }

    @Override
    public <T> void insert(Kind<T> kind, String scope, String id, String parent, String sortKey, Instant created,
                           T record) {
        update("INSERT INTO resources (kind, scope, id, parent, sort_key, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                kind.name(), scope, id, parent == null ? "" : parent, sortKey, created.toEpochMilli(), write(record));
    }

    @Override
    public <T> boolean update(Kind<T> kind, String scope, String id, T record) {
        return update("UPDATE resources SET doc = ? WHERE kind = ? AND scope = ? AND id = ?",
                write(record), kind.name(), scope, id) > 0;
    }

    @Override
    public <T> Optional<T> modify(Kind<T> kind, String scope, String id, UnaryOperator<T> change) {
        return transaction(() -> {
            Optional<T> before = query(rs -> rs.next() ? Optional.of(read(kind, rs.getString(1))) : Optional.<T>empty(),
                    "SELECT doc FROM resources WHERE kind = ? AND scope = ? AND id = ? FOR UPDATE",
                    kind.name(), scope, id);
            Optional<T> after = before.map(change);
            if (after.isPresent() && !after.get().equals(before.get())) {
                update(kind, scope, id, after.get());
            }
            return after;
        });
    }

    @Override
    public boolean delete(Kind<?> kind, String scope, String id) {
        return update("DELETE FROM resources WHERE kind = ? AND scope = ? AND id = ?", kind.name(), scope, id) > 0;
    }

    @Override
    public <T> Page<T> list(Kind<T> kind, String scope, String parent, String after, int limit) {
        return query(rs -> {
            List<T> items = new ArrayList<>();
            String lastKey = null;
            while (rs.next()) {
                if (items.size() == limit) {
                    return new Page<>(items, lastKey);
                }
                items.add(read(kind, rs.getString(1)));
                lastKey = rs.getString(2);
            }
            return new Page<>(items, null);
        }, "SELECT doc, sort_key FROM resources WHERE kind = ? AND scope = ? AND parent = ? AND sort_key > ? "
                + "ORDER BY sort_key LIMIT ?", kind.name(), scope, parent == null ? "" : parent,
                after == null ? "" : after, limit + 1);
    }

    @Override
    public long count(Kind<?> kind, String scope, String parent) {
        return query(JdbcCatalog::single, "SELECT COUNT(*) FROM resources WHERE kind = ? AND scope = ? AND parent = ?",
                kind.name(), scope, parent == null ? "" : parent);
    }

    private static long single(ResultSet rs) throws SQLException {
        rs.next();
        return rs.getLong(1);
    }

    @Override
    public List<String> scopes(Kind<?> kind) {
        return query(rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }, "SELECT DISTINCT scope FROM resources WHERE kind = ? ORDER BY scope", kind.name());
    }

    @Override
    public Map<String, Long> countByParent(Kind<?> kind, String scope) {
        return query(rs -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
        }, "SELECT parent, COUNT(*) FROM resources WHERE kind = ? AND scope = ? GROUP BY parent", kind.name(), scope);
    }

    @Override
    public boolean reserve(Kind<?> kind, String scope, long limit) {
        return withConnection(c -> {
            if (increment(c, kind, scope, limit)) {
                return true;
            }
            boolean exists = query(c, ResultSet::next, "SELECT n FROM counters WHERE kind = ? AND scope = ?",
                    kind.name(), scope);
            // The row may have been committed by a concurrent first reservation after the UPDATE's
            // snapshot was taken (READ COMMITTED): then it is visible now, and a second UPDATE decides.
            return exists ? increment(c, kind, scope, limit) : createCounter(c, kind, scope, limit);
        });
    }

    private static boolean increment(Connection c, Kind<?> kind, String scope, long limit) throws SQLException {
        return update(c, "UPDATE counters SET n = n + 1 WHERE kind = ? AND scope = ? AND n < ?",
                kind.name(), scope, limit) > 0;
    }

    /**
     * The scope's first reservation: the counter starts at what the scope holds, the caller's new
     * record included. Losing the race to create it falls back to the ordinary reservation, which
     * then waits for the winner's row lock. On the caller's own connection: asking the pool for a
     * second one inside a transaction could deadlock a full pool.
     */
    private static boolean createCounter(Connection c, Kind<?> kind, String scope, long limit) throws SQLException {
        long held = query(c, JdbcCatalog::single, "SELECT COUNT(*) FROM resources WHERE kind = ? AND scope = ?",
                kind.name(), scope);
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            update(c, "INSERT INTO counters (kind, scope, n) VALUES (?, ?, ?)", kind.name(), scope, held);
            return held <= limit;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            return increment(c, kind, scope, limit);
        }
    }

    @Override
    public void release(Kind<?> kind, String scope) {
        update("UPDATE counters SET n = n - 1 WHERE kind = ? AND scope = ? AND n > 0", kind.name(), scope);
    }

    @Override
    public Map<String, String> tags(String arn) {
        return query(rs -> {
            Map<String, String> tags = new LinkedHashMap<>();
            while (rs.next()) {
                tags.put(rs.getString(1), rs.getString(2));
            }
            return tags;
        }, "SELECT tag_key, tag_value FROM tags WHERE arn = ? ORDER BY tag_key", arn);
    }

    @Override
    public void putTags(String arn, Map<String, String> tags) {
        transaction(() -> withConnection(c -> {
            for (Map.Entry<String, String> e : tags.entrySet()) {
                if (update(c, "UPDATE tags SET tag_value = ? WHERE arn = ? AND tag_key = ?",
                        e.getValue(), arn, e.getKey()) == 0) {
                    update(c, "INSERT INTO tags (arn, tag_key, tag_value) VALUES (?, ?, ?)", arn, e.getKey(),
                            e.getValue());
                }
            }
            return null;
        }));
    }

    @Override
    public void removeTags(String arn, Iterable<String> keys) {
        transaction(() -> {
            keys.forEach(key -> update("DELETE FROM tags WHERE arn = ? AND tag_key = ?", arn, key));
            return null;
        });
    }

    @Override
    public void dropTags(String arn) {
        update("DELETE FROM tags WHERE arn = ?", arn);
    }

    private <T> T read(Kind<T> kind, String json) {
        Object cached = parsed.get(json);
        if (kind.type().isInstance(cached)) {
            return kind.type().cast(cached);
        }
        try {
            T record = JSON.readValue(json, kind.type());
            if (parsed.size() >= PARSED_CACHE_ENTRIES) {
                parsed.clear();
            }
            parsed.put(json, record);
            return record;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catalog record of kind " + kind.name() + " is unreadable", e);
        }
    }

    private static String write(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store " + record.getClass().getSimpleName(), e);
        }
    }
}

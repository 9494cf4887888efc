package io.lifeboat.engine.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.function.Supplier;

/**
 * The catalog on JDBC. Records are stored as JSON of the domain records; a transaction binds one
 * connection to the calling thread so that nested calls share it.
 */
final class JdbcCatalog implements Catalog {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Database db;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    JdbcCatalog(Database db) {
        this.db = db;
    }

    @FunctionalInterface
    private interface Work<R> {
        R run(Connection c) throws SQLException;
    }

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
            if ("23505".equals(e.getSQLState())) {
                throw new Duplicate(e.getMessage());
            }
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
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
            if ("23505".equals(e.getSQLState())) {
                throw new Duplicate(e.getMessage());
            }
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> Optional<T> get(Kind<T> kind, String scope, String id) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT doc FROM resources WHERE kind = ? AND scope = ? AND id = ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setString(3, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(read(kind, rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public <T> void insert(Kind<T> kind, String scope, String id, String parent, String sortKey, Instant created,
                           T record) {
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO resources "
                    + "(kind, scope, id, parent, sort_key, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setString(3, id);
                p.setString(4, parent == null ? "" : parent);
                p.setString(5, sortKey);
                p.setLong(6, created.toEpochMilli());
                p.setString(7, write(record));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public <T> boolean update(Kind<T> kind, String scope, String id, T record) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE resources SET doc = ? WHERE kind = ? AND scope = ? AND id = ?")) {
                p.setString(1, write(record));
                p.setString(2, kind.name());
                p.setString(3, scope);
                p.setString(4, id);
                return p.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean delete(Kind<?> kind, String scope, String id) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM resources WHERE kind = ? AND scope = ? AND id = ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setString(3, id);
                return p.executeUpdate() > 0;
            }
        });
    }

    @Override
    public <T> Page<T> list(Kind<T> kind, String scope, String parent, String after, int limit) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT doc, sort_key FROM resources "
                    + "WHERE kind = ? AND scope = ? AND parent = ? AND sort_key > ? ORDER BY sort_key LIMIT ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setString(3, parent == null ? "" : parent);
                p.setString(4, after == null ? "" : after);
                p.setInt(5, limit + 1);
                List<T> items = new ArrayList<>();
                String lastKey = null;
                boolean more = false;
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == limit) {
                            more = true;
                            break;
                        }
                        items.add(read(kind, rs.getString(1)));
                        lastKey = rs.getString(2);
                    }
                }
                return new Page<>(items, more ? lastKey : null);
            }
        });
    }

    @Override
    public long count(Kind<?> kind, String scope, String parent) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COUNT(*) FROM resources WHERE kind = ? AND scope = ? AND parent = ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setString(3, parent == null ? "" : parent);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public boolean reserve(Kind<?> kind, String scope, long limit) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE counters SET n = n + 1 WHERE kind = ? AND scope = ? AND n < ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setLong(3, limit);
                if (p.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT n FROM counters WHERE kind = ? AND scope = ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            return createCounter(c, kind, scope, limit);
        });
    }

    /**
     * The scope's first reservation: the counter starts at what the scope holds, the caller's new
     * record included. Losing the race to create it falls back to the ordinary reservation, which
     * then waits for the winner's row lock. On the caller's own connection: asking the pool for a
     * second one inside a transaction could deadlock a full pool.
     */
    private boolean createCounter(Connection c, Kind<?> kind, String scope, long limit) throws SQLException {
        long held = countAll(c, kind, scope);
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO counters (kind, scope, n) VALUES (?, ?, ?)")) {
            p.setString(1, kind.name());
            p.setString(2, scope);
            p.setLong(3, held);
            p.executeUpdate();
            return held <= limit;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE counters SET n = n + 1 WHERE kind = ? AND scope = ? AND n < ?")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                p.setLong(3, limit);
                return p.executeUpdate() > 0;
            }
        }
    }

    private static long countAll(Connection c, Kind<?> kind, String scope) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM resources WHERE kind = ? AND scope = ?")) {
            p.setString(1, kind.name());
            p.setString(2, scope);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void release(Kind<?> kind, String scope) {
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE counters SET n = n - 1 WHERE kind = ? AND scope = ? AND n > 0")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Long> countByParent(Kind<?> kind, String scope) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT parent, COUNT(*) FROM resources WHERE kind = ? AND scope = ? GROUP BY parent")) {
                p.setString(1, kind.name());
                p.setString(2, scope);
                Map<String, Long> counts = new LinkedHashMap<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return counts;
            }
        });
    }

    @Override
    public Map<String, String> tags(String arn) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT tag_key, tag_value FROM tags WHERE arn = ? ORDER BY tag_key")) {
                p.setString(1, arn);
                Map<String, String> tags = new LinkedHashMap<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        tags.put(rs.getString(1), rs.getString(2));
                    }
                }
                return tags;
            }
        });
    }

    @Override
    public void putTags(String arn, Map<String, String> tags) {
        transaction(() -> withConnection(c -> {
            for (Map.Entry<String, String> e : tags.entrySet()) {
                try (PreparedStatement p = c.prepareStatement("UPDATE tags SET tag_value = ? WHERE arn = ? AND tag_key = ?")) {
                    p.setString(1, e.getValue());
                    p.setString(2, arn);
                    p.setString(3, e.getKey());
                    if (p.executeUpdate() > 0) {
                        continue;
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO tags (arn, tag_key, tag_value) VALUES (?, ?, ?)")) {
                    p.setString(1, arn);
                    p.setString(2, e.getKey());
                    p.setString(3, e.getValue());
                    p.executeUpdate();
                }
            }
            return null;
        }));
    }

    @Override
    public void removeTags(String arn, Iterable<String> keys) {
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM tags WHERE arn = ? AND tag_key = ?")) {
                for (String key : keys) {
                    p.setString(1, arn);
                    p.setString(2, key);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void dropTags(String arn) {
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM tags WHERE arn = ?")) {
                p.setString(1, arn);
                return p.executeUpdate();
            }
        });
    }

    private static <T> T read(Kind<T> kind, String json) {
        try {
            return JSON.readValue(json, kind.type());
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

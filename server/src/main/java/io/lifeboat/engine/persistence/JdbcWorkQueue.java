package io.lifeboat.engine.persistence;

import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.job.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The work queue on the {@code work_items} and {@code scheduler_state} tables (migration V3). */
final class JdbcWorkQueue implements WorkQueue {
    private static final String COLUMNS = "id, kind, scope, due_at, deadline, owner, lease_until";
    private final DataSource db;
    private final JdbcCatalog catalog;

    JdbcWorkQueue(DataSource db, JdbcCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    @FunctionalInterface
    private interface Work<R> {
        R run(Connection c) throws SQLException;
    }

    /** Joins the catalog's transaction when there is one, so an item is added with what it stands for. */
    private <R> R with(Work<R> work) {
        return catalog.onConnection(work::run);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    private int update(String sql, Object... args) {
        return with(c -> {
            try (PreparedStatement p = prepare(c, sql, args)) {
                return p.executeUpdate();
            }
        });
    }

    private List<Item> items(String sql, Object... args) {
        return with(c -> {
            try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
                List<Item> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Item(rs.getString(1), rs.getString(2), rs.getString(3), time(rs, 4), time(rs, 5),
                            rs.getString(6), time(rs, 7)));
                }
                return out;
            }
        });
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static String in(List<String> kinds) {
        return "kind IN (" + String.join(",", kinds.stream().map(k -> "?").toList()) + ")";
    }

    @Override
    public void add(String id, String kind, String scope, Instant due, Instant deadline) {
        update("INSERT INTO work_items (id, kind, scope, due_at, deadline) VALUES (?, ?, ?, ?, ?)",
                id, kind, scope, due.toEpochMilli(), millis(deadline));
    }

    @Override
    public List<Item> due(List<String> kinds, Instant now, Instant realNow, int limit) {
        List<Object> args = new ArrayList<>(kinds);
        args.add(now.toEpochMilli());
        args.add(realNow.toEpochMilli());
        args.add(limit);
        return items("SELECT " + COLUMNS + " FROM work_items WHERE " + in(kinds) + " AND due_at <= ? "
                + "AND (owner IS NULL OR lease_until < ?) ORDER BY due_at, id LIMIT ?", args.toArray());
    }

    @Override
    public boolean claim(String id, String owner, Instant leaseUntil, Instant realNow) {
        return update("UPDATE work_items SET owner = ?, lease_until = ? WHERE id = ? "
                + "AND (owner IS NULL OR lease_until < ?)", owner, leaseUntil.toEpochMilli(), id,
                realNow.toEpochMilli()) == 1;
    }

    @Override
    public boolean renew(String id, String owner, Instant leaseUntil) {
        return update("UPDATE work_items SET lease_until = ? WHERE id = ? AND owner = ?", leaseUntil.toEpochMilli(),
                id, owner) == 1;
    }

    @Override
    public void release(String id, String owner) {
        update("UPDATE work_items SET owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?", id, owner);
    }

    @Override
    public void postpone(String id, String owner, Instant due) {
        update("UPDATE work_items SET owner = NULL, lease_until = NULL, due_at = ? WHERE id = ? AND owner = ?",
                due.toEpochMilli(), id, owner);
    }

    @Override
    public void finish(String id) {
        update("DELETE FROM work_items WHERE id = ?", id);
    }

    @Override
    public Optional<Item> get(String id) {
        return items("SELECT " + COLUMNS + " FROM work_items WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Item> abandoned(Instant realNow) {
        return items("SELECT " + COLUMNS + " FROM work_items WHERE lease_until < ? ORDER BY due_at",
                realNow.toEpochMilli());
    }

    @Override
    public Optional<Instant> nextTime(Instant after) {
        long a = after.toEpochMilli();
        return with(c -> {
            try (PreparedStatement p = prepare(c, "SELECT MIN(t) FROM (SELECT MIN(due_at) AS t FROM work_items "
                    + "WHERE due_at > ? UNION ALL SELECT MIN(deadline) AS t FROM work_items WHERE deadline > ?) x",
                    a, a); ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.ofNullable(time(rs, 1)) : Optional.<Instant>empty();
            }
        });
    }

    @Override
    public boolean advanceMark(String name, Instant from, Instant to) {
        if (from == null) {
            try {
                return update("INSERT INTO scheduler_state (name, tick_at) VALUES (?, ?)", name, to.toEpochMilli())
                        == 1;
            } catch (Catalog.Duplicate e) {
                return false;
            }
        }
        return update("UPDATE scheduler_state SET tick_at = ? WHERE name = ? AND tick_at = ?", to.toEpochMilli(),
                name, from.toEpochMilli()) == 1;
    }

    @Override
    public Optional<Instant> mark(String name) {
        return with(c -> {
            try (PreparedStatement p = prepare(c, "SELECT tick_at FROM scheduler_state WHERE name = ?", name);
                 ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.<Instant>empty();
            }
        });
    }
}

package io.lifeboat.domain.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where the domain keeps its records. A record lives under (kind, scope, id), may name a parent
 * (a plan for its selections), and lists in sort-key order. Implementations must make
 * {@link #insert} fail with {@link Duplicate} when the id is taken, even under concurrent writers.
 */
public interface Catalog {

    /** The id is already taken. */
    final class Duplicate extends RuntimeException {
        public Duplicate(String message) {
            super(message, null, false, false);
        }
    }

    <T> Optional<T> get(Kind<T> kind, String scope, String id);

    <T> void insert(Kind<T> kind, String scope, String id, String parent, String sortKey, Instant created, T record);

    /** Replaces the record; false when there is none. */
    <T> boolean update(Kind<T> kind, String scope, String id, T record);

    /**
     * Reads the record with its row locked and stores what {@code change} makes of it, in one
     * transaction, so that a change made meanwhile by another node or thread waits instead of being
     * overwritten. Empty when there is no record; an exception from {@code change} stores nothing.
     */
    <T> Optional<T> modify(Kind<T> kind, String scope, String id, UnaryOperator<T> change);

    boolean delete(Kind<?> kind, String scope, String id);

    /** Records of a kind under a parent ("" for none) whose sort key is after {@code after} (null: from the start). */
    <T> Page<T> list(Kind<T> kind, String scope, String parent, String after, int limit);

    long count(Kind<?> kind, String scope, String parent);

    /** The first record under a parent, in sort-key order, that matches; a scan, for small sets. */
    default <T> Optional<T> findFirst(Kind<T> kind, String scope, String parent, Predicate<T> matches) {
        String after = null;
        do {
            Page<T> page = list(kind, scope, parent, after, 500);
            for (T item : page.items()) {
                if (matches.test(item)) {
                    return Optional.of(item);
                }
            }
            after = page.nextSortKey();
        } while (after != null);
        return Optional.empty();
    }

    /** A sort key that lists records in creation order, ties broken by id. */
    static String creationOrder(Instant created, String id) {
        return String.format("%015d|%s", created.toEpochMilli(), id);
    }

    /** The scopes that hold records of a kind (for the scheduler, which serves every account and region). */
    java.util.List<String> scopes(Kind<?> kind);

    /** Record counts of a kind in a scope, by parent; parents with none are absent. */
    Map<String, Long> countByParent(Kind<?> kind, String scope);

    /**
     * Takes one unit of a scope's quota for a kind, if fewer than {@code limit} are taken. Call it in
     * the transaction that inserts the record, after the insert and last: the first use counts what
     * the scope holds (that record included), and the counter row stays locked until the commit.
     */
    boolean reserve(Kind<?> kind, String scope, long limit);

    /** Gives back one unit of quota; call it in the transaction that deletes the record. */
    void release(Kind<?> kind, String scope);

    /** Runs work in one transaction; nested calls join the outer one. */
    <R> R transaction(Supplier<R> work);

    Map<String, String> tags(String arn);

    void putTags(String arn, Map<String, String> tags);

    void removeTags(String arn, Iterable<String> keys);

    void dropTags(String arn);
}

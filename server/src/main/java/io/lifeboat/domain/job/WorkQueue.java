package io.lifeboat.domain.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Open work waiting for a time or a worker, shared by every node through the database. Items are
 * added in the transaction that creates what they stand for; a worker claims one with a lease and
 * renews it while it works; {@link #finish} removes it. Lease times are the real time of the
 * machines (they measure whether a node is alive), due times are the service clock's.
 */
public interface WorkQueue {

    /** One item. {@code deadline} is when waiting work stops being worth doing (a start window). */
    record Item(String id, String kind, String scope, Instant due, Instant deadline, String owner,
                Instant leaseUntil) {
    }

    void add(String id, String kind, String scope, Instant due, Instant deadline);

    /** Unclaimed (or lease-expired) items of these kinds due at {@code now}, oldest first. */
    List<Item> due(List<String> kinds, Instant now, Instant realNow, int limit);

    /** Claims an item for {@code owner} until {@code leaseUntil}; false when another node holds it. */
    boolean claim(String id, String owner, Instant leaseUntil, Instant realNow);

    /** Extends a held lease; false when the item is gone or held by another node. */
    boolean renew(String id, String owner, Instant leaseUntil);

    /** Gives up a claim without finishing (the item becomes due again). */
    void release(String id, String owner);

    /** Gives up a claim after a failure: the item is due again at {@code due} (a retry with a pause). */
    void postpone(String id, String owner, Instant due);

    void finish(String id);

    Optional<Item> get(String id);

    /** Items claimed by some node whose lease ran out: the node stopped while holding them. */
    List<Item> abandoned(Instant realNow);

    /** The earliest due time or deadline after {@code after}, among all open items. */
    Optional<Instant> nextTime(Instant after);

    /** Moves the named scheduler mark from {@code from} to {@code to}; false when another node moved it. */
    boolean advanceMark(String name, Instant from, Instant to);

    Optional<Instant> mark(String name);
}

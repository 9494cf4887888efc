/**
 * JDBC persistence: embedded H2 by default, PostgreSQL by configuration, same migrations (the only
 * dialect difference is the text type). {@code JdbcCatalog} stores domain records as JSON rows.
 *
 * <p>Locking: a {@code Catalog.transaction} binds one connection to the calling thread; quota
 * counters are taken with a conditional UPDATE in the inserting transaction, so concurrent creates
 * serialise on the counter row and never exceed a quota.
 */
package io.lifeboat.engine.persistence;

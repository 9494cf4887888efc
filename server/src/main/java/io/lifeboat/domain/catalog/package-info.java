/**
 * The port through which the domain stores its records: keyed by kind, scope and id, listed by
 * sort key (so pagination is a range scan), with tags, quota counters and transactions. The JDBC
 * implementation lives in {@code engine.persistence}.
 */
package io.lifeboat.domain.catalog;

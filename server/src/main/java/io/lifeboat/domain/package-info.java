/**
 * The domain: AWS Backup's rules on Lifeboat's own records, with no HTTP and no SDK types. Values
 * are records; ids come from {@code Ids} and time from an injected {@code Clock}. Rule violations
 * are {@code DomainException}s with a kind; the edge decides what each kind is called on the wire.
 */
package io.lifeboat.domain;

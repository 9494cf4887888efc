/**
 * Process entry and wiring. {@code Main} parses the command line; {@code Application} builds the
 * whole server in one readable place (clock, ids, secrets, database, domain services, providers,
 * service endpoints, gateway, HTTP listener) with no static state, so tests start servers freely.
 * {@code Secrets} owns the master key and access key files in the data directory (mode 0600).
 */
package io.lifeboat.server;

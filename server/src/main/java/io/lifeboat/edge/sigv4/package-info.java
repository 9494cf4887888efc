/**
 * AWS Signature Version 4: parsing the credential scope (used for routing before any secret is
 * known) and verifying signatures against the raw request with a wall clock, never the simulated
 * one. Failures carry a reason that each protocol spells as its own error code.
 */
package io.lifeboat.edge.sigv4;

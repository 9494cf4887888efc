/**
 * The HTTP listener (Jetty core on virtual threads) and the two plain values that cross it:
 * {@code WireRequest} (raw path and query, lower-case headers, whole body) and {@code WireResponse}.
 * Nothing here knows AWS.
 */
package io.lifeboat.edge.http;

/**
 * The front door: everything that knows HTTP and the AWS wire. {@code Gateway} runs the request
 * pipeline (pick service, authenticate, route, bind, validate, call the provider, encode) and is
 * the one place where domain errors become AWS errors, via each service's {@code ErrorTables}
 * entry. {@code ServiceEndpoint} holds a service's protocol and its dispatch table, built once
 * from provider methods named after the SDK request classes.
 *
 * <p>Data flows down: edge calls provider, never the reverse.
 */
package io.lifeboat.edge;

/**
 * One provider per AWS service, each method three moves: read the SDK request, call the domain,
 * build the SDK response. No HTTP, JSON or SQL here, and no business rules.
 */
package io.lifeboat.provider;

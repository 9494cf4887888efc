/**
 * Object storage for repositories: a local directory now, S3-compatible object storage next.
 * Every backend publishes objects atomically and passes the same contract tests.
 */
package io.lifeboat.store.backend;

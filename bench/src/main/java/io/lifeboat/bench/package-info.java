/** Control-plane load client for Lifeboat and other AWS Backup-compatible endpoints; see docs/benchmarks.md. */
package io.lifeboat.bench;

/**
 * Splitting volumes into chunks: fixed, aligned chunks for disk images (all-zero chunks are holes)
 * and FastCDC content-defined chunks for file contents.
 */
package io.lifeboat.store.chunk;

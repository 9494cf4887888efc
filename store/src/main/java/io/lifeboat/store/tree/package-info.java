/**
 * Directory volumes: file contents cut by content-defined chunking, and the tree's metadata
 * (names, types, modes, owners, times, symlinks, hard links, holes, extended attributes) as a node
 * stream stored in chunks of its own.
 */
package io.lifeboat.store.tree;

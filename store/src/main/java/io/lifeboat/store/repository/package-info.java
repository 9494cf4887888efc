/**
 * A repository on a backend: keys unwrapped by the caller, the chunk index, chunk writing into
 * packs, manifests. Write order: packs, then the index file that names them, then the manifest.
 */
package io.lifeboat.store.repository;

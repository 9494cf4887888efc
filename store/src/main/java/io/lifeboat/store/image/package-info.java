/**
 * Image volumes (disk image files, block devices): fixed aligned chunks, holes for zeros, manifests
 * that list every chunk; backup and restore.
 */
package io.lifeboat.store.image;

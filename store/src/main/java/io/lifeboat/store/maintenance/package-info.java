/**
 * Work on a whole repository that knows what its manifests mean: verify (which recovery points a
 * damaged object touches) and garbage collection (what no recovery point needs any more).
 */
package io.lifeboat.store.maintenance;

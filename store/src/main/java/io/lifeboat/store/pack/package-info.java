/**
 * Packs: sealed chunks appended one after another, then a sealed header listing them; a pack is
 * named by the SHA-256 of its bytes and never modified. See docs/store-format.md, "Pack".
 */
package io.lifeboat.store.pack;

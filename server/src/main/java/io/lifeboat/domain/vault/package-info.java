/** Backup vaults: encryption keys, access policies, notifications, vault lock, quotas. */
package io.lifeboat.domain.vault;

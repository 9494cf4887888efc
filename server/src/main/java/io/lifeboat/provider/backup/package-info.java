/** Backup API operations: vaults, plans and selections, tags and settings; {@code PlanMapper} maps documents. */
package io.lifeboat.provider.backup;

/** Each vault's chunk store: where it lives, how its keys are wrapped by the vault's KMS key. */
package io.lifeboat.engine.vault;

/** KMS operations: symmetric keys, aliases, data keys, encrypt and decrypt. */
package io.lifeboat.provider.kms;

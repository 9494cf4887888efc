/** Region settings (resource type opt-in) and global settings per account. */
package io.lifeboat.domain.settings;

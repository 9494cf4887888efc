/** Tags on Backup's taggable resources, by ARN. */
package io.lifeboat.domain.tagging;

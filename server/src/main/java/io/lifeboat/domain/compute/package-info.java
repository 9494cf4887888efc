/**
 * The EC2 subset Lifeboat serves: instances, their volumes (sparse image files, block devices or
 * directories on this machine), the images that recovery points are, tags, and the default network
 * every region shows. No HTTP here; the EC2 provider maps it to the wire.
 */
package io.lifeboat.domain.compute;

package io.lifeboat.domain.compute;

import java.time.Instant;

/**
 * A volume. {@code path} is where its bytes are; {@code instanceId} and {@code device} are set while
 * it is attached. {@code declared} volumes come from the configuration file and are never deleted
 * by Lifeboat.
 */
public record Volume(String id, String arn, long sizeGiB, String availabilityZone, Backing backing, String path,
                     Instant created, String state, String instanceId, String device, boolean deleteOnTermination,
                     boolean declared) {

    Volume attached(String instance, String dev, boolean deleteOnTerm) {
        return new Volume(id, arn, sizeGiB, availabilityZone, backing, path, created, "in-use", instance, dev,
                deleteOnTerm, declared);
    }

    Volume detached() {
        return new Volume(id, arn, sizeGiB, availabilityZone, backing, path, created, "available", null, null, false,
                declared);
    }
}

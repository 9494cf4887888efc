package io.lifeboat.domain.compute;

import io.lifeboat.domain.Arns;
import java.time.Instant;
import java.util.List;

/**
 * An AMI: a built-in blank image, or the image an EC2 recovery point is (the point's ARN is the
 * image's, {@link #arn}). Such an image names, per device, the manifest in the vault's store that
 * holds the volume's bytes.
 */
public record Image(String id, String name, String description, String ownerId, Instant created, String state,
                    String rootDeviceName, List<Device> devices, String vaultName, boolean builtIn) {

    /** One block device of the image; {@code manifest} is null for a blank volume. */
    public record Device(String device, long sizeGiB, Backing backing, String manifest) {
    }

    public String arn(String region) {
        return Arns.ec2Image(region, id);
    }

    /** The image once its volumes are stored. */
    Image available(List<Device> stored) {
        return new Image(id, name, description, ownerId, created, "available", rootDeviceName, List.copyOf(stored),
                vaultName, builtIn);
    }
}

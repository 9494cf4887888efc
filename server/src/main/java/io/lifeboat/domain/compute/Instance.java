package io.lifeboat.domain.compute;

import java.time.Instant;
import java.util.List;

/**
 * An instance: launch settings as EC2 reports them, its state, and its attached volumes by device.
 * {@code declared} instances are machines named in the configuration file.
 */
public record Instance(String id, String arn, String reservationId, String imageId, String instanceType,
                       State state, Instant launchTime, String availabilityZone, String subnetId, String vpcId,
                       List<String> securityGroupIds, String keyName, String rootDeviceName,
                       List<Attachment> attachments, String stateReason, boolean declared) {

    /** EC2's instance states and their codes. */
    public enum State {
        PENDING(0, "pending"), RUNNING(16, "running"), SHUTTING_DOWN(32, "shutting-down"),
        TERMINATED(48, "terminated"), STOPPING(64, "stopping"), STOPPED(80, "stopped");

        public final int code;
        public final String wireName;

        State(int code, String wireName) {
            this.code = code;
            this.wireName = wireName;
        }
    }

    public record Attachment(String volumeId, String device, Instant attachTime, boolean deleteOnTermination) {
    }

    Instance withState(State s, String reason) {
        return new Instance(id, arn, reservationId, imageId, instanceType, s, launchTime, availabilityZone, subnetId,
                vpcId, securityGroupIds, keyName, rootDeviceName, attachments, reason, declared);
    }

    Instance withAttachments(List<Attachment> a) {
        return new Instance(id, arn, reservationId, imageId, instanceType, state, launchTime, availabilityZone,
                subnetId, vpcId, securityGroupIds, keyName, rootDeviceName, a, stateReason, declared);
    }
}

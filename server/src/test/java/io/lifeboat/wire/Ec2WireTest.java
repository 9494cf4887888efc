package io.lifeboat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.*;

/** The EC2 subset through the SDK's EC2 client: instances, volumes, images, tags, network, errors. */
class Ec2WireTest {
    static TestServer server;
    static Ec2Client ec2;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        ec2 = server.ec2();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String errorCode(Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
        throw new AssertionError("no error");
    }

    static Instance run(String name, int gib) {
        return ec2.runInstances(r -> r.imageId("ami-0000000000000b1a0").minCount(1).maxCount(1)
                .instanceType(InstanceType.T3_MICRO)
                .blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.volumeSize(gib)))
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tag("Name", name))))
                .instances().get(0);
    }

    static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    Path volumeFile(String volumeId) {
        return server.dataDir().resolve("volumes/123456789012/us-east-1/" + volumeId + ".img");
    }

    @Test
    void instancesLaunchOnSparseVolumesAndChangeState() throws Exception {
        Instance launched = run("web", 2);
        assertThat(launched.instanceId()).matches("i-[0-9a-f]{17}");
        assertThat(launched.state().name()).isEqualTo(InstanceStateName.PENDING);
        Instance described = ec2.describeInstances(r -> r.instanceIds(launched.instanceId())).reservations().get(0)
                .instances().get(0);
        assertThat(described.state().name()).isEqualTo(InstanceStateName.RUNNING);
        assertThat(described.state().code()).isEqualTo(16);
        assertThat(described.tags()).containsExactly(tag("Name", "web"));
        assertThat(described.instanceType()).isEqualTo(InstanceType.T3_MICRO);
        String volumeId = described.blockDeviceMappings().get(0).ebs().volumeId();
        Path file = volumeFile(volumeId);
        assertThat(Files.size(file)).isEqualTo(2L << 30);
        assertThat((Long) Files.getAttribute(file, "unix:size")).isEqualTo(2L << 30);
        Volume volume = ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().get(0);
        assertThat(volume.size()).isEqualTo(2);
        assertThat(volume.attachments().get(0).instanceId()).isEqualTo(launched.instanceId());

        assertThat(ec2.describeInstanceStatus(r -> r.instanceIds(launched.instanceId())).instanceStatuses().get(0)
                .instanceStatus().status()).isEqualTo(SummaryStatus.OK);
        InstanceStateChange stopped = ec2.stopInstances(r -> r.instanceIds(launched.instanceId()))
                .stoppingInstances().get(0);
        assertThat(stopped.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
        assertThat(ec2.describeInstances(r -> r.filters(f -> f.name("instance-state-name").values("stopped")))
                .reservations()).extracting(res -> res.instances().get(0).instanceId())
                .contains(launched.instanceId());
        assertThat(ec2.describeInstanceStatus(r -> r.instanceIds(launched.instanceId())).instanceStatuses()).isEmpty();
        assertThat(ec2.describeInstanceStatus(r -> r.instanceIds(launched.instanceId()).includeAllInstances(true))
                .instanceStatuses().get(0).instanceState().name()).isEqualTo(InstanceStateName.STOPPED);
        ec2.startInstances(r -> r.instanceIds(launched.instanceId()));
        InstanceStateChange terminated = ec2.terminateInstances(r -> r.instanceIds(launched.instanceId()))
                .terminatingInstances().get(0);
        assertThat(terminated.currentState().name()).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(file).doesNotExist(); // its root volume was deleted on termination
        assertThat(errorCode(() -> ec2.startInstances(r -> r.instanceIds(launched.instanceId()))))
                .startsWith("IncorrectInstanceState");
    }

    @Test
    void describeFiltersTagsAndPages() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(run("batch-" + i, 1).instanceId());
        }
        ec2.createTags(r -> r.resources(ids.get(0), ids.get(1)).tags(tag("Backup", "true")));
        DescribeInstancesResponse tagged = ec2.describeInstances(r -> r.filters(
                f -> f.name("tag:Backup").values("true")));
        assertThat(tagged.reservations()).flatExtracting(Reservation::instances).extracting(Instance::instanceId)
                .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        assertThat(ec2.describeInstances(r -> r.filters(f -> f.name("tag:Name").values("batch-?"),
                f -> f.name("tag-key").values("Backup"))).reservations()).hasSize(2);
        // a tag delete with a value removes the tag only when the value matches
        ec2.deleteTags(r -> r.resources(ids.get(0)).tags(tag("Backup", "false")));
        ec2.deleteTags(r -> r.resources(ids.get(1)).tags(Tag.builder().key("Backup").build()));
        assertThat(ec2.describeTags(r -> r.filters(f -> f.name("key").values("Backup"))).tags())
                .extracting(TagDescription::resourceId).containsExactly(ids.get(0));
        assertThat(ec2.describeTags(r -> r.filters(f -> f.name("resource-id").values(ids.get(2)))).tags())
                .extracting(TagDescription::resourceType, TagDescription::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ResourceType.INSTANCE, "batch-2"));

        // pages of five, every instance once
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            DescribeInstancesResponse page = ec2.describeInstances(r -> r.maxResults(5).nextToken(t)
                    .filters(f -> f.name("tag:Name").values("batch-*")));
            page.reservations().forEach(res -> res.instances().forEach(i -> seen.add(i.instanceId())));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void volumesAttachAndDetach() {
        Instance i = run("vols", 1);
        String zone = i.placement().availabilityZone();
        Volume v = ec2.describeVolumes(r -> r.volumeIds(ec2.createVolume(c -> c.availabilityZone(zone).size(3))
                .volumeId())).volumes().get(0);
        assertThat(v.state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(Files.exists(volumeFile(v.volumeId()))).isTrue();
        ec2.attachVolume(r -> r.volumeId(v.volumeId()).instanceId(i.instanceId()).device("/dev/sdf"));
        assertThat(ec2.describeInstances(r -> r.instanceIds(i.instanceId())).reservations().get(0).instances().get(0)
                .blockDeviceMappings()).extracting(InstanceBlockDeviceMapping::deviceName)
                .containsExactly("/dev/xvda", "/dev/sdf");
        assertThat(errorCode(() -> ec2.deleteVolume(r -> r.volumeId(v.volumeId())))).startsWith("VolumeInUse");
        assertThat(errorCode(() -> ec2.attachVolume(r -> r.volumeId(v.volumeId()).instanceId(i.instanceId())
                .device("/dev/sdg")))).startsWith("VolumeInUse");
        ec2.detachVolume(r -> r.volumeId(v.volumeId()));
        ec2.deleteVolume(r -> r.volumeId(v.volumeId()));
        assertThat(volumeFile(v.volumeId())).doesNotExist();
        assertThat(errorCode(() -> ec2.describeVolumes(r -> r.volumeIds(v.volumeId()))))
                .startsWith("InvalidVolume.NotFound");
    }

    @Test
    void defaultNetworkImagesAndGeography() {
        Vpc vpc = ec2.describeVpcs().vpcs().get(0);
        assertThat(vpc.isDefault()).isTrue();
        assertThat(vpc.cidrBlock()).isEqualTo("172.31.0.0/16");
        List<Subnet> subnets = ec2.describeSubnets().subnets();
        assertThat(subnets).hasSize(3).allMatch(s -> s.vpcId().equals(vpc.vpcId()) && s.defaultForAz());
        assertThat(ec2.describeSecurityGroups().securityGroups().get(0).groupName()).isEqualTo("default");
        assertThat(ec2.describeAvailabilityZones().availabilityZones()).extracting(AvailabilityZone::zoneName)
                .containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
        assertThat(ec2.describeRegions().regions()).extracting(Region::regionName).contains("us-west-2");
        assertThat(ec2.describeImages(r -> r.imageIds("ami-0000000000000b1a0")).images().get(0).name())
                .isEqualTo("lifeboat-blank");
        Instance placed = ec2.runInstances(r -> r.imageId("ami-0000000000000b1a0").minCount(1).maxCount(1)
                .subnetId(subnets.get(2).subnetId())).instances().get(0);
        assertThat(placed.placement().availabilityZone()).isEqualTo("us-east-1c");
    }

    @Test
    void errorsAreEc2s() {
        assertThat(errorCode(() -> ec2.describeInstances(r -> r.instanceIds("i-0123456789abcdef0"))))
                .isEqualTo("InvalidInstanceID.NotFound: The instance ID 'i-0123456789abcdef0' does not exist");
        assertThat(errorCode(() -> ec2.describeInstances(r -> r.instanceIds("bogus"))))
                .startsWith("InvalidInstanceID.Malformed");
        assertThat(errorCode(() -> ec2.describeInstances(r -> r.filters(f -> f.name("no-such-filter").values("x")))))
                .startsWith("InvalidParameterValue");
        assertThat(errorCode(() -> ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1))))
                .startsWith("InvalidAMIID.NotFound");
        assertThat(errorCode(() -> ec2.runInstances(r -> r.imageId("ami-0000000000000b1a0").minCount(1).maxCount(1)
                .subnetId("subnet-0abc123")))).startsWith("InvalidSubnetID.NotFound");
        assertThat(errorCode(() -> ec2.createTags(r -> r.resources("i-0123456789abcdef0").tags(tag("a", "b")))))
                .startsWith("InvalidInstanceID.NotFound");
        assertThat(errorCode(() -> ec2.createTags(r -> r.tags(tag("a", "b"))))).startsWith("MissingParameter");
        Instance i = run("reserved", 1);
        assertThat(errorCode(() -> ec2.createTags(r -> r.resources(i.instanceId()).tags(tag("aws:x", "y")))))
                .startsWith("InvalidParameterValue");
        assertThatThrownBy(() -> ec2.createVolume(r -> r.availabilityZone("mars-1a").size(1)))
                .isInstanceOf(Ec2Exception.class);
    }
}

package io.lifeboat.provider.ec2;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Paging;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.ComputeTags;
import io.lifeboat.domain.compute.Filters;
import io.lifeboat.domain.compute.Image;
import io.lifeboat.domain.compute.Instance;
import io.lifeboat.domain.compute.Network;
import io.lifeboat.domain.compute.Volume;
import io.lifeboat.provider.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.*;

/** The EC2 subset: instances, volumes, images, tags and the default network. */
public final class Ec2Provider {
    private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
            "ca-central-1", "sa-east-1");

    private final ComputeService compute;
    private final ComputeTags tags;

    public Ec2Provider(ComputeService compute, ComputeTags tags) {
        this.compute = compute;
        this.tags = tags;
    }

    private static Scope scope(RequestContext ctx) {
        return new Scope(ctx.accountId(), ctx.region());
    }

    static Filters filters(List<Filter> filters) {
        if (filters == null) {
            return Filters.NONE;
        }
        return new Filters(filters.stream().map(f -> new Filters.Filter(f.name(), f.hasValues() ? f.values()
                : List.of())).toList());
    }

    private static List<software.amazon.awssdk.services.ec2.model.Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder()
                .key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, String> tagMap(List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(t -> m.put(t.key(), t.value() == null ? "" : t.value()));
        }
        return m;
    }

    /** One page of an in-memory listing; tokens carry the offset. */
    private record Slice<T>(List<T> items, String nextToken) {
        static <T> Slice<T> of(List<T> all, String kind, String token, Integer maxResults) {
            String after = Paging.after(kind, token);
            int from = after == null ? 0 : Integer.parseInt(after);
            int limit = maxResults == null ? 1000 : Math.max(5, Math.min(maxResults, 1000));
            int to = Math.min(all.size(), from + limit);
            return new Slice<>(all.subList(Math.min(from, all.size()), to),
                    to < all.size() ? Paging.token(kind, String.valueOf(to)) : null);
        }
    }

    // ---- instances

    public RunInstancesResponse runInstances(RequestContext ctx, RunInstancesRequest req) {
        Map<String, String> instanceTags = new LinkedHashMap<>();
        Map<String, String> volumeTags = new LinkedHashMap<>();
        if (req.hasTagSpecifications()) {
            for (TagSpecification spec : req.tagSpecifications()) {
                Map<String, String> into = "volume".equals(spec.resourceTypeAsString()) ? volumeTags : instanceTags;
                into.putAll(tagMap(spec.tags()));
            }
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        if (req.hasBlockDeviceMappings()) {
            for (BlockDeviceMapping m : req.blockDeviceMappings()) {
                sizes.put(m.deviceName(), m.ebs() == null || m.ebs().volumeSize() == null ? null
                        : m.ebs().volumeSize().longValue());
            }
        }
        String subnet = req.subnetId();
        List<String> groups = req.hasSecurityGroupIds() ? req.securityGroupIds() : List.of();
        Scope scope = scope(ctx);
        List<Instance> launched = compute.run(scope, new ComputeService.Launch(req.imageId(),
                req.instanceTypeAsString(), req.minCount(), req.maxCount(), subnet, groups, req.keyName(),
                instanceTags, volumeTags, sizes, null));
        String reservation = launched.get(0).reservationId();
        return RunInstancesResponse.builder().reservationId(reservation).ownerId(ctx.accountId())
                .groups(groupIdentifiers(scope, launched.get(0)))
                // a new instance is reported as pending, as EC2 does; DescribeInstances shows it running
                .instances(launched.stream().map(i -> instance(scope, i, Instance.State.PENDING)).toList())
                .build();
    }

    private List<GroupIdentifier> groupIdentifiers(Scope scope, Instance i) {
        Network net = compute.network(scope);
        return i.securityGroupIds().stream().map(g -> GroupIdentifier.builder().groupId(g)
                .groupName(g.equals(net.securityGroupId()) ? "default" : g).build()).toList();
    }

    private software.amazon.awssdk.services.ec2.model.Instance instance(Scope scope, Instance i, Instance.State shown) {
        List<InstanceBlockDeviceMapping> devices = new ArrayList<>();
        for (Instance.Attachment a : i.attachments()) {
            devices.add(InstanceBlockDeviceMapping.builder().deviceName(a.device()).ebs(EbsInstanceBlockDevice.builder()
                    .volumeId(a.volumeId()).status("attached").attachTime(a.attachTime())
                    .deleteOnTermination(a.deleteOnTermination()).build()).build());
        }
        String privateIp = privateIp(i);
        return software.amazon.awssdk.services.ec2.model.Instance.builder()
                .instanceId(i.id()).imageId(i.imageId()).instanceType(i.instanceType())
                .state(InstanceState.builder().code(shown.code).name(shown.wireName).build())
                .launchTime(i.launchTime()).amiLaunchIndex(0)
                .placement(Placement.builder().availabilityZone(i.availabilityZone()).groupName("").tenancy("default")
                        .build())
                .subnetId(i.state() == Instance.State.TERMINATED ? null : i.subnetId())
                .vpcId(i.state() == Instance.State.TERMINATED ? null : i.vpcId())
                .privateIpAddress(privateIp).privateDnsName("ip-" + privateIp.replace('.', '-') + ".ec2.internal")
                .publicDnsName("").keyName(i.keyName()).architecture("x86_64").rootDeviceType("ebs")
                .rootDeviceName(i.rootDeviceName()).blockDeviceMappings(devices).virtualizationType("hvm")
                .hypervisor("xen").ebsOptimized(false).enaSupport(true).sourceDestCheck(true)
                .securityGroups(groupIdentifiers(scope, i)).monitoring(Monitoring.builder().state("disabled").build())
                .stateTransitionReason(i.stateReason() == null ? "" : i.stateReason())
                .tags(tagList(compute.tags(i.arn()))).platformDetails("Linux/UNIX").build();
    }

    /** A stable private address in the instance's subnet, derived from its id. */
    private static String privateIp(Instance i) {
        int h = i.id().hashCode();
        return "172.31." + ((h >>> 8) & 0x0f) + "." + (((h & 0xff) % 250) + 4);
    }

    public DescribeInstancesResponse describeInstances(RequestContext ctx, DescribeInstancesRequest req) {
        Scope scope = scope(ctx);
        List<Instance> found = compute.instances(scope, req.hasInstanceIds() ? req.instanceIds() : null,
                filters(req.hasFilters() ? req.filters() : null));
        Slice<Instance> page = Slice.of(found, "ec2-instances", req.nextToken(), req.maxResults());
        Map<String, List<Instance>> byReservation = new LinkedHashMap<>();
        page.items().forEach(i -> byReservation.computeIfAbsent(i.reservationId(), r -> new ArrayList<>()).add(i));
        List<Reservation> reservations = byReservation.entrySet().stream().map(e -> Reservation.builder()
                .reservationId(e.getKey()).ownerId(ctx.accountId())
                .instances(e.getValue().stream().map(i -> instance(scope, i, i.state())).toList()).build()).toList();
        return DescribeInstancesResponse.builder().reservations(reservations).nextToken(page.nextToken()).build();
    }

    public DescribeInstanceStatusResponse describeInstanceStatus(RequestContext ctx,
                                                                 DescribeInstanceStatusRequest req) {
        boolean everything = Boolean.TRUE.equals(req.includeAllInstances());
        List<Instance> found = compute.instances(scope(ctx), req.hasInstanceIds() ? req.instanceIds() : null,
                Filters.NONE);
        List<InstanceStatus> all = found.stream()
                .filter(i -> everything || i.state() == Instance.State.RUNNING)
                .map(i -> {
                    String s = i.state() == Instance.State.RUNNING ? "ok" : "not-applicable";
                    return InstanceStatus.builder().instanceId(i.id()).availabilityZone(i.availabilityZone())
                            .instanceState(InstanceState.builder().code(i.state().code).name(i.state().wireName).build())
                            .instanceStatus(InstanceStatusSummary.builder().status(s).build())
                            .systemStatus(InstanceStatusSummary.builder().status(s).build()).build();
                }).toList();
        List<InstanceStatus> statuses = filters(req.hasFilters() ? req.filters() : null).apply(all, Map.of(
                "instance-state-name", st -> List.of(st.instanceState().nameAsString()),
                "availability-zone", st -> List.of(st.availabilityZone()),
                "instance-status.status", st -> List.of(st.instanceStatus().statusAsString()),
                "system-status.status", st -> List.of(st.systemStatus().statusAsString())), st -> Map.of());
        Slice<InstanceStatus> page = Slice.of(statuses, "ec2-status", req.nextToken(), req.maxResults());
        return DescribeInstanceStatusResponse.builder().instanceStatuses(page.items()).nextToken(page.nextToken())
                .build();
    }

    private static List<InstanceStateChange> changes(List<ComputeService.StateChange> changes) {
        return changes.stream().map(c -> InstanceStateChange.builder().instanceId(c.instanceId())
                .previousState(InstanceState.builder().code(c.previous().code).name(c.previous().wireName).build())
                .currentState(InstanceState.builder().code(c.current().code).name(c.current().wireName).build())
                .build()).toList();
    }

    public StartInstancesResponse startInstances(RequestContext ctx, StartInstancesRequest req) {
        return StartInstancesResponse.builder().startingInstances(changes(compute.start(scope(ctx),
                req.instanceIds()))).build();
    }

    public StopInstancesResponse stopInstances(RequestContext ctx, StopInstancesRequest req) {
        return StopInstancesResponse.builder().stoppingInstances(changes(compute.stop(scope(ctx),
                req.instanceIds()))).build();
    }

    public TerminateInstancesResponse terminateInstances(RequestContext ctx, TerminateInstancesRequest req) {
        return TerminateInstancesResponse.builder().terminatingInstances(changes(compute.terminate(scope(ctx),
                req.instanceIds()))).build();
    }

    // ---- tags

    public CreateTagsResponse createTags(RequestContext ctx, CreateTagsRequest req) {
        tags.createTags(scope(ctx), req.resources(), tagMap(req.tags()));
        return CreateTagsResponse.builder().build();
    }

    public DeleteTagsResponse deleteTags(RequestContext ctx, DeleteTagsRequest req) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (req.hasTags()) {
            req.tags().forEach(t -> keys.put(t.key(), t.value()));
        }
        tags.deleteTags(scope(ctx), req.resources(), keys);
        return DeleteTagsResponse.builder().build();
    }

    public DescribeTagsResponse describeTags(RequestContext ctx, DescribeTagsRequest req) {
        List<ComputeTags.ResourceTag> found = tags.describeTags(scope(ctx),
                filters(req.hasFilters() ? req.filters() : null));
        Slice<ComputeTags.ResourceTag> page = Slice.of(found, "ec2-tags", req.nextToken(), req.maxResults());
        return DescribeTagsResponse.builder().tags(page.items().stream().map(t -> TagDescription.builder()
                .resourceId(t.resourceId()).resourceType(t.resourceType()).key(t.key()).value(t.value()).build())
                .toList()).nextToken(page.nextToken()).build();
    }

    // ---- volumes

    private software.amazon.awssdk.services.ec2.model.Volume volume(Volume v) {
        List<VolumeAttachment> attachments = v.instanceId() == null ? List.of() : List.of(VolumeAttachment.builder()
                .volumeId(v.id()).instanceId(v.instanceId()).device(v.device()).state("attached")
                .attachTime(v.created()).deleteOnTermination(v.deleteOnTermination()).build());
        return software.amazon.awssdk.services.ec2.model.Volume.builder().volumeId(v.id()).size((int) v.sizeGiB())
                .availabilityZone(v.availabilityZone()).state(v.state()).createTime(v.created())
                .volumeType("gp3").iops(3000).throughput(125).encrypted(false).multiAttachEnabled(false)
                .snapshotId("").attachments(attachments).tags(tagList(compute.tags(v.arn()))).build();
    }

    public CreateVolumeResponse createVolume(RequestContext ctx, CreateVolumeRequest req) {
        Map<String, String> initial = new LinkedHashMap<>();
        if (req.hasTagSpecifications()) {
            req.tagSpecifications().forEach(s -> initial.putAll(tagMap(s.tags())));
        }
        Volume v = compute.createVolume(scope(ctx), req.availabilityZone(),
                req.size() == null ? null : req.size().longValue(), initial);
        software.amazon.awssdk.services.ec2.model.Volume w = volume(v);
        return CreateVolumeResponse.builder().volumeId(w.volumeId()).size(w.size())
                .availabilityZone(w.availabilityZone()).state(w.state()).createTime(w.createTime())
                .volumeType(w.volumeType()).iops(w.iops()).throughput(w.throughput()).encrypted(false)
                .multiAttachEnabled(false).snapshotId("").tags(w.tags()).build();
    }

    public DescribeVolumesResponse describeVolumes(RequestContext ctx, DescribeVolumesRequest req) {
        List<Volume> found = compute.volumes(scope(ctx), req.hasVolumeIds() ? req.volumeIds() : null,
                filters(req.hasFilters() ? req.filters() : null));
        Slice<Volume> page = Slice.of(found, "ec2-volumes", req.nextToken(), req.maxResults());
        return DescribeVolumesResponse.builder().volumes(page.items().stream().map(this::volume).toList())
                .nextToken(page.nextToken()).build();
    }

    public AttachVolumeResponse attachVolume(RequestContext ctx, AttachVolumeRequest req) {
        Volume v = compute.attach(scope(ctx), req.volumeId(), req.instanceId(), req.device());
        return AttachVolumeResponse.builder().volumeId(v.id()).instanceId(v.instanceId()).device(v.device())
                .state("attaching").attachTime(v.created()).deleteOnTermination(false).build();
    }

    public DetachVolumeResponse detachVolume(RequestContext ctx, DetachVolumeRequest req) {
        Volume v = compute.detach(scope(ctx), req.volumeId());
        return DetachVolumeResponse.builder().volumeId(v.id()).instanceId(v.instanceId()).device(v.device())
                .state("detaching").attachTime(v.created()).deleteOnTermination(false).build();
    }

    public DeleteVolumeResponse deleteVolume(RequestContext ctx, DeleteVolumeRequest req) {
        compute.deleteVolume(scope(ctx), req.volumeId());
        return DeleteVolumeResponse.builder().build();
    }

    // ---- images

    public DescribeImagesResponse describeImages(RequestContext ctx, DescribeImagesRequest req) {
        Scope scope = scope(ctx);
        List<Image> found = compute.images(scope, req.hasImageIds() ? req.imageIds() : null,
                req.hasOwners() ? req.owners() : null, filters(req.hasFilters() ? req.filters() : null));
        Slice<Image> page = Slice.of(found, "ec2-images", req.nextToken(), req.maxResults());
        return DescribeImagesResponse.builder().images(page.items().stream().map(i -> image(scope, i)).toList())
                .nextToken(page.nextToken()).build();
    }

    private software.amazon.awssdk.services.ec2.model.Image image(Scope scope, Image i) {
        return software.amazon.awssdk.services.ec2.model.Image.builder().imageId(i.id()).name(i.name())
                .description(i.description()).ownerId(i.ownerId()).state(i.state())
                .creationDate(i.created().toString()).architecture("x86_64").imageType("machine")
                .rootDeviceType("ebs").rootDeviceName(i.rootDeviceName()).virtualizationType("hvm")
                .hypervisor("xen").enaSupport(true).publicLaunchPermissions(i.builtIn())
                .imageLocation(i.builtIn() ? "lifeboat/" + i.name() : i.ownerId() + "/" + i.name())
                .platformDetails("Linux/UNIX").usageOperation("RunInstances")
                .blockDeviceMappings(i.devices().stream().map(d -> BlockDeviceMapping.builder().deviceName(d.device())
                        .ebs(EbsBlockDevice.builder().volumeSize((int) d.sizeGiB()).volumeType("gp3")
                                .deleteOnTermination(true).encrypted(false).build()).build()).toList())
                .tags(tagList(compute.tags(i.arn(scope.region())))).build();
    }

    // ---- network and geography

    public DescribeVpcsResponse describeVpcs(RequestContext ctx, DescribeVpcsRequest req) {
        Network net = compute.network(scope(ctx));
        if (req.hasVpcIds() && req.vpcIds().stream().anyMatch(id -> !id.equals(net.vpcId()))) {
            throw notFound("InvalidVpcID.NotFound", "The vpc ID '" + req.vpcIds().stream()
                    .filter(id -> !id.equals(net.vpcId())).findFirst().orElseThrow() + "' does not exist");
        }
        Vpc vpc = Vpc.builder().vpcId(net.vpcId()).cidrBlock(net.vpcCidr()).state("available").isDefault(true)
                .instanceTenancy("default").ownerId(net.ownerId()).dhcpOptionsId("default").build();
        return DescribeVpcsResponse.builder().vpcs(filters(req.hasFilters() ? req.filters() : null).apply(
                List.of(vpc), Map.of(
                        "vpc-id", v -> List.of(v.vpcId()),
                        "is-default", v -> List.of("true"),
                        "state", v -> List.of("available"),
                        "cidr", v -> List.of(v.cidrBlock()),
                        "cidr-block-association.cidr-block", v -> List.of(v.cidrBlock())), v -> Map.of()))
                .build();
    }

    public DescribeSubnetsResponse describeSubnets(RequestContext ctx, DescribeSubnetsRequest req) {
        Network net = compute.network(scope(ctx));
        if (req.hasSubnetIds()) {
            req.subnetIds().stream().filter(id -> net.subnet(id) == null).findFirst().ifPresent(id -> {
                throw notFound("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
            });
        }
        List<Subnet> subnets = net.subnets().stream()
                .filter(s -> !req.hasSubnetIds() || req.subnetIds().contains(s.id()))
                .map(s -> Subnet.builder().subnetId(s.id()).vpcId(net.vpcId()).availabilityZone(s.availabilityZone())
                        .cidrBlock(s.cidr()).state("available").defaultForAz(true).mapPublicIpOnLaunch(true)
                        .availableIpAddressCount(4091).ownerId(net.ownerId())
                        .subnetArn("arn:aws:ec2:" + ctx.region() + ":" + ctx.accountId() + ":subnet/" + s.id())
                        .build()).toList();
        return DescribeSubnetsResponse.builder().subnets(filters(req.hasFilters() ? req.filters() : null).apply(
                subnets, Map.of(
                        "subnet-id", s -> List.of(s.subnetId()),
                        "vpc-id", s -> List.of(s.vpcId()),
                        "availability-zone", s -> List.of(s.availabilityZone()),
                        "default-for-az", s -> List.of("true"),
                        "state", s -> List.of("available")), s -> Map.of())).build();
    }

    public DescribeSecurityGroupsResponse describeSecurityGroups(RequestContext ctx,
                                                                 DescribeSecurityGroupsRequest req) {
        Network net = compute.network(scope(ctx));
        if (req.hasGroupIds() && req.groupIds().stream().anyMatch(g -> !g.equals(net.securityGroupId()))) {
            throw notFound("InvalidGroup.NotFound", "The security group '" + req.groupIds().stream()
                    .filter(g -> !g.equals(net.securityGroupId())).findFirst().orElseThrow() + "' does not exist");
        }
        List<SecurityGroup> groups = !req.hasGroupNames() || req.groupNames().contains("default")
                ? List.of(SecurityGroup.builder().groupId(net.securityGroupId()).groupName("default")
                .description("default VPC security group").vpcId(net.vpcId()).ownerId(net.ownerId()).build())
                : List.of();
        return DescribeSecurityGroupsResponse.builder().securityGroups(filters(req.hasFilters() ? req.filters()
                : null).apply(groups, Map.of(
                        "group-id", g -> List.of(g.groupId()),
                        "group-name", g -> List.of(g.groupName()),
                        "vpc-id", g -> List.of(g.vpcId())), g -> Map.of())).build();
    }

    public DescribeRegionsResponse describeRegions(RequestContext ctx, DescribeRegionsRequest req) {
        List<Region> regions = REGIONS.stream()
                .filter(r -> !req.hasRegionNames() || req.regionNames().contains(r))
                .map(r -> Region.builder().regionName(r).endpoint("ec2." + r + ".amazonaws.com")
                        .optInStatus("opt-in-not-required").build()).toList();
        return DescribeRegionsResponse.builder().regions(regions).build();
    }

    public DescribeAvailabilityZonesResponse describeAvailabilityZones(RequestContext ctx,
                                                                       DescribeAvailabilityZonesRequest req) {
        Network net = compute.network(scope(ctx));
        Function<Network.Subnet, AvailabilityZone> zone = s -> AvailabilityZone.builder()
                .zoneName(s.availabilityZone()).zoneId(ctx.region().replace("-", "").substring(0, 4) + "-az"
                        + (net.subnets().indexOf(s) + 1))
                .regionName(ctx.region()).state("available").zoneType("availability-zone")
                .optInStatus("opt-in-not-required").groupName(ctx.region()).networkBorderGroup(ctx.region()).build();
        return DescribeAvailabilityZonesResponse.builder().availabilityZones(net.subnets().stream()
                .filter(s -> !req.hasZoneNames() || req.zoneNames().contains(s.availabilityZone()))
                .map(zone).toList()).build();
    }

    private static DomainException notFound(String code, String message) {
        return DomainException.coded(DomainException.Kind.NOT_FOUND, code, message);
    }

}

package io.lifeboat.domain.compute;

import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Instances, volumes, images and their tags. A managed volume is a sparse file (or, restored from a
 * directory volume, a directory) under {@code volumesRoot/ACCOUNT/REGION/}; launching from a
 * recovery point's image writes its volumes from the vault store through {@link ImageData}.
 */
public final class ComputeService {
    public static final Kind<Instance> INSTANCE = new Kind<>("ec2-instance", Instance.class);
    public static final Kind<Volume> VOLUME = new Kind<>("ec2-volume", Volume.class);
    public static final Kind<Image> IMAGE = new Kind<>("ec2-image", Image.class);
    /** The built-in blank image: its volumes are empty sparse files, sized by the block device mappings. */
    public static final String BLANK_IMAGE_ID = "ami-0000000000000b1a0";
    public static final String ROOT_DEVICE = "/dev/xvda";
    static final long DEFAULT_ROOT_GIB = 8;
    private static final long GIB = 1L << 30;
    private static final int MAX_LAUNCH = 1000;

    /** Writes a stored volume of an image to a new volume's path. */
    public interface ImageData {
        void restore(Scope scope, Image image, Image.Device device, Path target) throws IOException;
    }

    /** What RunInstances asks for. {@code deviceSizes} are block device mapping sizes in GiB. */
    public record Launch(String imageId, String instanceType, int minCount, int maxCount, String subnetId,
                         List<String> securityGroupIds, String keyName, Map<String, String> instanceTags,
                         Map<String, String> volumeTags, Map<String, Long> deviceSizes, Path targetDirectory) {
    }

    /** A state change as Start/Stop/TerminateInstances report it. */
    public record StateChange(String instanceId, Instance.State previous, Instance.State current) {
    }

    private final Catalog catalog;
    private final Ids ids;
    private final Clock clock;
    private final VolumeFiles files;
    private volatile ImageData imageData = (s, i, d, t) -> {
        throw new IOException("no vault store is connected");
    };

    public ComputeService(Catalog catalog, Ids ids, Clock clock, Path volumesRoot) {
        this.catalog = catalog;
        this.ids = ids;
        this.clock = clock;
        this.files = new VolumeFiles(volumesRoot);
    }

    /** Connects the store that holds recovery point images (wired after both exist). */
    public void connect(ImageData data) {
        this.imageData = data;
    }

    public Network network(Scope scope) {
        return Network.of(scope);
    }

    // ---- instances

    public List<Instance> run(Scope scope, Launch launch) {
        if (launch.minCount() < 1 || launch.maxCount() < launch.minCount()) {
            throw ComputeErrors.invalid("MinCount must be at least 1 and no greater than MaxCount.");
        }
        if (launch.maxCount() > MAX_LAUNCH) {
            throw DomainException.coded(DomainException.Kind.LIMIT_EXCEEDED, "InstanceLimitExceeded",
                    "You have requested more instances (" + launch.maxCount() + ") than your current instance "
                            + "limit of " + MAX_LAUNCH + " allows for the specified instance type.");
        }
        Image image = image(scope, launch.imageId());
        Network net = network(scope);
        Network.Subnet subnet = launch.subnetId() == null ? net.defaultSubnet() : net.subnet(launch.subnetId());
        if (subnet == null) {
            throw DomainException.coded(DomainException.Kind.NOT_FOUND, "InvalidSubnetID.NotFound",
                    "The subnet ID '" + launch.subnetId() + "' does not exist");
        }
        List<String> groups = launch.securityGroupIds() == null || launch.securityGroupIds().isEmpty()
                ? List.of(net.securityGroupId()) : launch.securityGroupIds();
        for (String g : groups) {
            if (!g.equals(net.securityGroupId())) {
                throw DomainException.coded(DomainException.Kind.NOT_FOUND, "InvalidGroup.NotFound",
                        "The security group '" + g + "' does not exist");
            }
        }
        String type = launch.instanceType() == null ? "m1.small" : launch.instanceType();
        if (!type.matches("[a-z][a-z0-9-]*\\.[a-z0-9]+")) {
            throw ComputeErrors.invalid("The following supplied instance types do not exist: [" + type + "]");
        }
        List<Image.Device> devices = devices(image, launch.deviceSizes());
        String reservation = ids.ec2("r");
        List<Instance> launched = new ArrayList<>();
        for (int n = 0; n < launch.maxCount(); n++) {
            launched.add(launchOne(scope, launch, image, devices, reservation, type, subnet, groups, net));
        }
        return launched;
    }

    private static List<Image.Device> devices(Image image, Map<String, Long> sizes) {
        Map<String, Image.Device> byName = new LinkedHashMap<>();
        image.devices().forEach(d -> byName.put(d.device(), d));
        if (sizes != null) {
            sizes.forEach((dev, gib) -> {
                Image.Device d = byName.get(dev);
                if (gib != null && (gib < 1 || gib > 16384)) {
                    throw ComputeErrors.invalid("Volume of " + gib + "GiB is outside the range 1-16384 GiB.");
                }
                if (d != null && d.manifest() != null && gib != null && gib < d.sizeGiB()) {
                    throw ComputeErrors.invalid("Volume of size " + gib + "GiB is smaller than snapshot, expect size >= "
                            + d.sizeGiB() + "GiB");
                }
                long size = gib != null ? gib : d != null ? d.sizeGiB() : DEFAULT_ROOT_GIB;
                byName.put(dev, d == null ? new Image.Device(dev, size, Backing.MANAGED, null)
                        : new Image.Device(dev, size, d.backing(), d.manifest()));
            });
        }
        return List.copyOf(byName.values());
    }

    private Instance launchOne(Scope scope, Launch launch, Image image, List<Image.Device> devices, String reservation,
                               String type, Network.Subnet subnet, List<String> groups, Network net) {
        Instant now = clock.instant();
        String id = ids.ec2("i");
        List<Instance.Attachment> attachments = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        try {
            for (Image.Device d : devices) {
                String volumeId = ids.ec2("vol");
                Path path = launch.targetDirectory() != null
                        ? launch.targetDirectory().resolve(id).resolve(VolumeFiles.deviceFileName(d.device(), d.backing()))
                        : files.managedPath(scope, volumeId, d.backing());
                Backing backing = d.backing().isTree() ? Backing.DIRECTORY : launch.targetDirectory() != null
                        ? Backing.IMAGE_FILE : Backing.MANAGED;
                Files.createDirectories(path.getParent());
                if (d.manifest() != null) {
                    imageData.restore(scope, image, d, path); // the exact size it had, unless asked to grow
                    Long asked = launch.deviceSizes() == null ? null : launch.deviceSizes().get(d.device());
                    if (!backing.isTree() && asked != null) {
                        VolumeFiles.extend(path, asked * GIB);
                    }
                } else if (backing.isTree()) {
                    Files.createDirectories(path);
                } else {
                    VolumeFiles.extend(path, d.sizeGiB() * GIB);
                }
                volumes.add(new Volume(volumeId, Arns.ec2Volume(scope, volumeId), d.sizeGiB(), subnet.availabilityZone(),
                        backing, path.toString(), now, "in-use", id, d.device(), true, false));
                attachments.add(new Instance.Attachment(volumeId, d.device(), now, true));
            }
        } catch (IOException e) {
            volumes.forEach(v -> files.delete(v));
            throw new UncheckedIOException("cannot create the volumes of a new instance: " + e.getMessage(), e);
        }
        Instance instance = new Instance(id, Arns.ec2Instance(scope, id), reservation, image.id(), type,
                Instance.State.RUNNING, now, subnet.availabilityZone(), subnet.id(), net.vpcId(), List.copyOf(groups),
                launch.keyName(), image.rootDeviceName(), List.copyOf(attachments), null, false);
        catalog.transaction(() -> {
            catalog.insert(INSTANCE, scope.key(), id, "", Catalog.creationOrder(now, id), now, instance);
            for (Volume v : volumes) {
                catalog.insert(VOLUME, scope.key(), v.id(), "", Catalog.creationOrder(now, v.id()), now, v);
                if (launch.volumeTags() != null && !launch.volumeTags().isEmpty()) {
                    catalog.putTags(v.arn(), launch.volumeTags());
                }
            }
            if (launch.instanceTags() != null && !launch.instanceTags().isEmpty()) {
                catalog.putTags(instance.arn(), launch.instanceTags());
            }
            return null;
        });
        return instance;
    }

    public Instance instance(Scope scope, String id) {
        return catalog.get(INSTANCE, scope.key(), id).orElseThrow(() -> ComputeErrors.instanceNotFound(id));
    }

    public Optional<Instance> findInstance(Scope scope, String id) {
        return catalog.get(INSTANCE, scope.key(), id);
    }

    /** Instances by id (each must exist) or all, then filtered. */
    public List<Instance> instances(Scope scope, List<String> instanceIds, Filters filters) {
        List<Instance> candidates = instanceIds == null || instanceIds.isEmpty() ? all(INSTANCE, scope)
                : instanceIds.stream().map(id -> instance(scope, id)).toList();
        return filters.apply(candidates, INSTANCE_FILTERS, i -> catalog.tags(i.arn()));
    }

    private static final Map<String, Function<Instance, List<String>>> INSTANCE_FILTERS = Map.ofEntries(
            Map.entry("instance-id", i -> List.of(i.id())),
            Map.entry("instance-state-name", i -> List.of(i.state().wireName)),
            Map.entry("instance-state-code", i -> List.of(String.valueOf(i.state().code))),
            Map.entry("instance-type", i -> List.of(i.instanceType())),
            Map.entry("image-id", i -> List.of(i.imageId())),
            Map.entry("availability-zone", i -> List.of(i.availabilityZone())),
            Map.entry("subnet-id", i -> List.of(i.subnetId())),
            Map.entry("vpc-id", i -> List.of(i.vpcId())),
            Map.entry("reservation-id", i -> List.of(i.reservationId())),
            Map.entry("key-name", i -> i.keyName() == null ? List.of() : List.of(i.keyName())),
            Map.entry("instance.group-id", Instance::securityGroupIds),
            Map.entry("block-device-mapping.volume-id",
                    i -> i.attachments().stream().map(Instance.Attachment::volumeId).toList()));

    public List<StateChange> start(Scope scope, List<String> instanceIds) {
        return change(scope, instanceIds, i -> switch (i.state()) {
            case STOPPED, RUNNING, PENDING -> Instance.State.RUNNING;
            default -> throw ComputeErrors.incorrectState("IncorrectInstanceState", "The instance '" + i.id()
                    + "' is not in a state from which it can be started.");
        });
    }

    public List<StateChange> stop(Scope scope, List<String> instanceIds) {
        return change(scope, instanceIds, i -> switch (i.state()) {
            case RUNNING, STOPPED, PENDING, STOPPING -> Instance.State.STOPPED;
            default -> throw ComputeErrors.incorrectState("IncorrectInstanceState", "This instance '" + i.id()
                    + "' is not in a state from which it can be stopped.");
        });
    }

    /** Terminates; managed volumes that were to be deleted on termination go with their files. */
    public List<StateChange> terminate(Scope scope, List<String> instanceIds) {
        List<StateChange> changes = change(scope, instanceIds, i -> Instance.State.TERMINATED);
        for (String id : instanceIds) {
            Instance i = instance(scope, id);
            for (Instance.Attachment a : i.attachments()) {
                if (a.deleteOnTermination()) {
                    catalog.get(VOLUME, scope.key(), a.volumeId()).filter(v -> !v.declared()).ifPresent(v -> {
                        catalog.transaction(() -> {
                            catalog.delete(VOLUME, scope.key(), v.id());
                            catalog.dropTags(v.arn());
                            return null;
                        });
                        files.delete(v);
                    });
                }
            }
            catalog.update(INSTANCE, scope.key(), id, i.withAttachments(i.attachments().stream()
                    .filter(a -> !a.deleteOnTermination()).toList()));
        }
        return changes;
    }

    private List<StateChange> change(Scope scope, List<String> instanceIds,
                                     Function<Instance, Instance.State> next) {
        List<Instance> targets = instanceIds.stream().map(id -> instance(scope, id)).toList();
        List<StateChange> changes = new ArrayList<>();
        for (Instance i : targets) {
            if (i.declared() && next.apply(i) == Instance.State.TERMINATED) {
                throw DomainException.coded(DomainException.Kind.INVALID_REQUEST, "OperationNotPermitted",
                        "The instance '" + i.id() + "' is a machine declared in the Lifeboat configuration and "
                                + "cannot be terminated through the API.");
            }
        }
        for (Instance i : targets) {
            Instance.State to = next.apply(i);
            if (i.state() != Instance.State.TERMINATED) {
                catalog.update(INSTANCE, scope.key(), i.id(), i.withState(to, i.state() == to ? i.stateReason()
                        : "User initiated (" + clock.instant() + ")"));
            }
            changes.add(new StateChange(i.id(), i.state(), i.state() == Instance.State.TERMINATED ? i.state() : to));
        }
        return changes;
    }

    // ---- volumes

    public Volume createVolume(Scope scope, String availabilityZone, Long sizeGiB, Map<String, String> tags) {
        if (availabilityZone == null || network(scope).subnets().stream()
                .noneMatch(s -> s.availabilityZone().equals(availabilityZone))) {
            throw DomainException.coded(DomainException.Kind.INVALID_PARAMETER, "InvalidParameterValue",
                    "Invalid availability zone: [" + availabilityZone + "]");
        }
        if (sizeGiB == null || sizeGiB < 1 || sizeGiB > 16384) {
            throw DomainException.coded(DomainException.Kind.MISSING_PARAMETER, "MissingParameter",
                    "The request must contain the parameter size between 1 and 16384 GiB");
        }
        Instant now = clock.instant();
        String id = ids.ec2("vol");
        Path path = files.managedPath(scope, id, Backing.MANAGED);
        try {
            Files.createDirectories(path.getParent());
            VolumeFiles.extend(path, sizeGiB * GIB);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume file " + path, e);
        }
        Volume v = new Volume(id, Arns.ec2Volume(scope, id), sizeGiB, availabilityZone, Backing.MANAGED, path.toString(), now,
                "available", null, null, false, false);
        catalog.transaction(() -> {
            catalog.insert(VOLUME, scope.key(), id, "", Catalog.creationOrder(now, id), now, v);
            if (tags != null && !tags.isEmpty()) {
                catalog.putTags(v.arn(), tags);
            }
            return null;
        });
        return v;
    }

    public Volume volume(Scope scope, String id) {
        return catalog.get(VOLUME, scope.key(), id).orElseThrow(() -> ComputeErrors.volumeNotFound(id));
    }

    public List<Volume> volumes(Scope scope, List<String> volumeIds, Filters filters) {
        List<Volume> candidates = volumeIds == null || volumeIds.isEmpty() ? all(VOLUME, scope)
                : volumeIds.stream().map(id -> volume(scope, id)).toList();
        return filters.apply(candidates, VOLUME_FILTERS, v -> catalog.tags(v.arn()));
    }

    private static final Map<String, Function<Volume, List<String>>> VOLUME_FILTERS = Map.of(
            "volume-id", v -> List.of(v.id()),
            "status", v -> List.of(v.state()),
            "availability-zone", v -> List.of(v.availabilityZone()),
            "size", v -> List.of(String.valueOf(v.sizeGiB())),
            "attachment.instance-id", v -> v.instanceId() == null ? List.of() : List.of(v.instanceId()),
            "attachment.device", v -> v.device() == null ? List.of() : List.of(v.device()),
            "volume-type", v -> List.of("gp3"));

    public Volume attach(Scope scope, String volumeId, String instanceId, String device) {
        return catalog.transaction(() -> {
            Volume v = volume(scope, volumeId);
            Instance i = instance(scope, instanceId);
            if (v.instanceId() != null) {
                throw ComputeErrors.incorrectState("VolumeInUse", "vol '" + volumeId + "' is already attached to an "
                        + "instance");
            }
            if (i.state() == Instance.State.TERMINATED) {
                throw ComputeErrors.incorrectState("IncorrectState", "Instance '" + instanceId + "' is not 'running'.");
            }
            if (!v.availabilityZone().equals(i.availabilityZone())) {
                throw ComputeErrors.invalid("Volume '" + volumeId + "' is not in the same availability zone as "
                        + "instance '" + instanceId + "'");
            }
            if (device == null || !device.matches("/dev/(sd[b-z]|xvd[a-z]|nvme\\d+n\\d+)|xvd[a-z]")) {
                throw ComputeErrors.invalid("Value (" + device + ") for parameter device is invalid. "
                        + device + " is not a valid EBS device name.");
            }
            if (i.attachments().stream().anyMatch(a -> a.device().equals(device))) {
                throw ComputeErrors.invalid("Attachment point " + device + " is already in use");
            }
            Volume attached = v.attached(instanceId, device, false);
            List<Instance.Attachment> list = new ArrayList<>(i.attachments());
            list.add(new Instance.Attachment(volumeId, device, clock.instant(), false));
            catalog.update(VOLUME, scope.key(), volumeId, attached);
            catalog.update(INSTANCE, scope.key(), instanceId, i.withAttachments(List.copyOf(list)));
            return attached;
        });
    }

    public Volume detach(Scope scope, String volumeId) {
        return catalog.transaction(() -> {
            Volume v = volume(scope, volumeId);
            if (v.instanceId() == null) {
                throw ComputeErrors.incorrectState("IncorrectState", "Volume '" + volumeId + "' is in the "
                        + "'available' state.");
            }
            if (v.declared()) {
                throw DomainException.coded(DomainException.Kind.INVALID_REQUEST, "OperationNotPermitted",
                        "Volume '" + volumeId + "' belongs to a machine declared in the Lifeboat configuration.");
            }
            Instance i = instance(scope, v.instanceId());
            catalog.update(INSTANCE, scope.key(), i.id(), i.withAttachments(i.attachments().stream()
                    .filter(a -> !a.volumeId().equals(volumeId)).toList()));
            Volume detached = v.detached();
            catalog.update(VOLUME, scope.key(), volumeId, detached);
            return v;
        });
    }

    public void deleteVolume(Scope scope, String volumeId) {
        Volume v = catalog.transaction(() -> {
            Volume found = volume(scope, volumeId);
            if (found.instanceId() != null) {
                throw ComputeErrors.incorrectState("VolumeInUse", "Volume " + volumeId + " is currently attached to "
                        + found.instanceId());
            }
            catalog.delete(VOLUME, scope.key(), volumeId);
            catalog.dropTags(found.arn());
            return found;
        });
        files.delete(v);
    }

    // ---- images

    public Image image(Scope scope, String id) {
        if (BLANK_IMAGE_ID.equals(id)) {
            return blank();
        }
        return catalog.get(IMAGE, scope.key(), id).orElseThrow(() -> ComputeErrors.imageNotFound(id));
    }

    private static Image blank() {
        return new Image(BLANK_IMAGE_ID, "lifeboat-blank", "An empty volume of the size the launch asks for "
                + "(8 GiB unless a block device mapping says otherwise).", "lifeboat", Instant.EPOCH, "available",
                ROOT_DEVICE, List.of(new Image.Device(ROOT_DEVICE, DEFAULT_ROOT_GIB, Backing.MANAGED, null)), null,
                true);
    }

    public List<Image> images(Scope scope, List<String> imageIds, List<String> owners, Filters filters) {
        List<Image> candidates;
        if (imageIds == null || imageIds.isEmpty()) {
            candidates = new ArrayList<>(all(IMAGE, scope));
            candidates.add(0, blank());
        } else {
            candidates = imageIds.stream().map(id -> image(scope, id)).toList();
        }
        Predicate<Image> owned = owners == null || owners.isEmpty() ? i -> true
                : i -> owners.contains(i.ownerId()) || (owners.contains("self") && i.ownerId().equals(scope.accountId()))
                || (owners.contains("amazon") && i.builtIn());
        return filters.apply(candidates.stream().filter(owned).toList(), IMAGE_FILTERS,
                i -> catalog.tags(i.arn(scope.region())));
    }

    private static final Map<String, Function<Image, List<String>>> IMAGE_FILTERS = Map.of(
            "image-id", i -> List.of(i.id()),
            "name", i -> List.of(i.name()),
            "state", i -> List.of(i.state()),
            "owner-id", i -> List.of(i.ownerId()),
            "description", i -> List.of(i.description()));

    /** Registers the image of a recovery point (in state pending until {@link #imageAvailable}). */
    public Image registerImage(Scope scope, String id, String name, String description, String rootDevice,
                               List<Image.Device> devices, String vaultName) {
        Instant now = clock.instant();
        Image image = new Image(id, name, description, scope.accountId(), now, "pending", rootDevice,
                List.copyOf(devices), vaultName, false);
        catalog.insert(IMAGE, scope.key(), id, "", Catalog.creationOrder(now, id), now, image);
        return image;
    }

    public void imageAvailable(Scope scope, String id, List<Image.Device> devices) {
        catalog.transaction(() -> {
            catalog.update(IMAGE, scope.key(), id, image(scope, id).available(devices));
            return null;
        });
    }

    public void deregisterImage(Scope scope, String id) {
        catalog.get(IMAGE, scope.key(), id).ifPresent(i -> catalog.transaction(() -> {
            catalog.delete(IMAGE, scope.key(), id);
            catalog.dropTags(i.arn(scope.region()));
            return null;
        }));
    }

    /** The tags of an instance, volume or image by its ARN. */
    public Map<String, String> tags(String arn) {
        return catalog.tags(arn);
    }

    // ---- declared machines

    /** A machine from the configuration file: created on first start, its tags applied at every start. */
    public record DeclaredMachine(String instanceId, String instanceType, Map<String, String> tags,
                                  List<DeclaredVolume> volumes) {
    }

    public record DeclaredVolume(String volumeId, String device, Backing backing, Path path, long sizeBytes) {
    }

    public Instance declare(Scope scope, DeclaredMachine m) {
        return catalog.transaction(() -> {
            Optional<Instance> existing = catalog.get(INSTANCE, scope.key(), m.instanceId());
            Instance instance;
            Network net = network(scope);
            Instant now = clock.instant();
            if (existing.isPresent()) {
                instance = existing.get();
            } else {
                List<Instance.Attachment> attachments = m.volumes().stream()
                        .map(v -> new Instance.Attachment(v.volumeId(), v.device(), now, false)).toList();
                instance = new Instance(m.instanceId(), Arns.ec2Instance(scope, m.instanceId()), ids.ec2("r"),
                        BLANK_IMAGE_ID, m.instanceType() == null ? "m1.small" : m.instanceType(),
                        Instance.State.RUNNING, now, net.defaultSubnet().availabilityZone(),
                        net.defaultSubnet().id(), net.vpcId(), List.of(net.securityGroupId()), null,
                        m.volumes().isEmpty() ? ROOT_DEVICE : m.volumes().get(0).device(), attachments, null, true);
                catalog.insert(INSTANCE, scope.key(), instance.id(), "",
                        Catalog.creationOrder(now, instance.id()), now, instance);
            }
            for (DeclaredVolume dv : m.volumes()) {
                Volume v = new Volume(dv.volumeId(), Arns.ec2Volume(scope, dv.volumeId()),
                        Math.max(1, (dv.sizeBytes() + GIB - 1) / GIB), instance.availabilityZone(), dv.backing(),
                        dv.path().toString(), now, "in-use", instance.id(), dv.device(), false, true);
                if (!catalog.update(VOLUME, scope.key(), v.id(), v)) {
                    catalog.insert(VOLUME, scope.key(), v.id(), "", Catalog.creationOrder(now, v.id()), now, v);
                }
            }
            if (m.tags() != null && !m.tags().isEmpty()) {
                catalog.putTags(instance.arn(), m.tags());
            }
            return instance;
        });
    }

    /**
     * Deletes managed volume files no volume names (a launch or restore that died with its node
     * wrote them before its records); only files older than {@code minAge}, so a launch running
     * on another node is left alone. Returns how many went.
     */
    public int removeOrphanVolumes(Duration minAge) {
        try {
            List<Path> orphans = files.orphans((scope, id) -> catalog.get(VOLUME, scope.key(), id).isPresent(), minAge);
            for (Path p : orphans) {
                files.delete(p);
            }
            return orphans.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep orphaned volume files", e);
        }
    }

    /** The volumes attached to an instance, in attachment order. */
    public List<Volume> attachedVolumes(Scope scope, Instance instance) {
        return instance.attachments().stream().map(a -> volume(scope, a.volumeId())).toList();
    }

    <T> List<T> all(Kind<T> kind, Scope scope) {
        return Page.drain(after -> catalog.list(kind, scope.key(), "", after, 1000));
    }
}

package io.lifeboat.domain.compute;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * EC2's tag operations on instances, volumes and images, addressed by resource id: EC2's limits
 * (50 a resource, 127/255 characters, the reserved {@code aws:} prefix) and its delete rules
 * (a given value must match; no tags at all deletes every non-{@code aws:} tag).
 */
public final class ComputeTags {
    private static final int MAX_TAGS = 50;

    /** One tag of one resource, as DescribeTags lists them. */
    public record ResourceTag(String resourceId, String resourceType, String key, String value) {
    }

    private final Catalog catalog;
    private final ComputeService compute;

    public ComputeTags(Catalog catalog, ComputeService compute) {
        this.catalog = catalog;
        this.compute = compute;
    }

    /** The ARN a resource id names in this scope, or a not-found error of its type. */
    public String arnOf(Scope scope, String resourceId) {
        if (resourceId.startsWith("i-")) {
            return compute.instance(scope, resourceId).arn();
        } else if (resourceId.startsWith("vol-")) {
            return compute.volume(scope, resourceId).arn();
        } else if (resourceId.startsWith("ami-")) {
            Image i = compute.image(scope, resourceId);
            if (i.builtIn()) {
                throw DomainException.coded(DomainException.Kind.INVALID_REQUEST, "UnauthorizedOperation",
                        "You are not authorized to tag the public image " + resourceId + ".");
            }
            return i.arn(scope.region());
        }
        throw DomainException.coded(DomainException.Kind.INVALID_PARAMETER, "InvalidID",
                "The ID '" + resourceId + "' is not valid");
    }

    public void createTags(Scope scope, List<String> resourceIds, Map<String, String> tags) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey().startsWith("aws:")) {
                throw ComputeErrors.invalid("Tag keys starting with 'aws:' are reserved for internal use");
            }
            if (t.getKey().isEmpty() || t.getKey().length() > 127) {
                throw ComputeErrors.invalid("Tag key must be between 1 and 127 characters: '" + t.getKey() + "'");
            }
            if (t.getValue().length() > 255) {
                throw ComputeErrors.invalid("Tag value exceeds the maximum length of 255 characters");
            }
        }
        List<String> arns = resourceIds.stream().map(id -> arnOf(scope, id)).toList();
        catalog.transaction(() -> {
            for (String arn : arns) {
                Map<String, String> merged = new LinkedHashMap<>(catalog.tags(arn));
                merged.putAll(tags);
                if (merged.size() > MAX_TAGS) {
                    throw DomainException.coded(DomainException.Kind.LIMIT_EXCEEDED, "TagLimitExceeded",
                            "The maximum number of tags (" + MAX_TAGS + ") for a resource has been reached.");
                }
                catalog.putTags(arn, tags);
            }
            return null;
        });
    }

    /** {@code tags} maps key to the value that must match, or null to delete whatever the value; empty: all. */
    public void deleteTags(Scope scope, List<String> resourceIds, Map<String, String> tags) {
        List<String> arns = resourceIds.stream().map(id -> arnOf(scope, id)).toList();
        catalog.transaction(() -> {
            for (String arn : arns) {
                Map<String, String> current = catalog.tags(arn);
                List<String> drop = new ArrayList<>();
                current.forEach((k, v) -> {
                    if (k.startsWith("aws:")) {
                        return;
                    }
                    if (tags.isEmpty() || (tags.containsKey(k) && (tags.get(k) == null || tags.get(k).equals(v)))) {
                        drop.add(k);
                    }
                });
                catalog.removeTags(arn, drop);
            }
            return null;
        });
    }

    public List<ResourceTag> describeTags(Scope scope, Filters filters) {
        List<ResourceTag> out = new ArrayList<>();
        for (Instance i : compute.all(ComputeService.INSTANCE, scope)) {
            catalog.tags(i.arn()).forEach((k, v) -> out.add(new ResourceTag(i.id(), "instance", k, v)));
        }
        for (Volume v : compute.all(ComputeService.VOLUME, scope)) {
            catalog.tags(v.arn()).forEach((k, val) -> out.add(new ResourceTag(v.id(), "volume", k, val)));
        }
        for (Image i : compute.all(ComputeService.IMAGE, scope)) {
            catalog.tags(i.arn(scope.region())).forEach((k, v) -> out.add(new ResourceTag(i.id(), "image", k, v)));
        }
        return filters.apply(out, TAG_FILTERS, t -> Map.of(t.key(), t.value()));
    }

    private static final Map<String, Function<ResourceTag, List<String>>> TAG_FILTERS = Map.of(
            "resource-id", t -> List.of(t.resourceId()),
            "resource-type", t -> List.of(t.resourceType()),
            "key", t -> List.of(t.key()),
            "value", t -> List.of(t.value()));
}

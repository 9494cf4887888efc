package io.lifeboat.provider.backup;

import static io.lifeboat.provider.backup.VaultProvider.scope;

import io.lifeboat.domain.settings.Settings;
import io.lifeboat.domain.settings.SettingsService;
import io.lifeboat.domain.tagging.TagService;
import io.lifeboat.provider.RequestContext;
import java.util.Map;
import software.amazon.awssdk.services.backup.model.DescribeGlobalSettingsRequest;
import software.amazon.awssdk.services.backup.model.DescribeGlobalSettingsResponse;
import software.amazon.awssdk.services.backup.model.DescribeRegionSettingsRequest;
import software.amazon.awssdk.services.backup.model.DescribeRegionSettingsResponse;
import software.amazon.awssdk.services.backup.model.GetSupportedResourceTypesRequest;
import software.amazon.awssdk.services.backup.model.GetSupportedResourceTypesResponse;
import software.amazon.awssdk.services.backup.model.ListTagsRequest;
import software.amazon.awssdk.services.backup.model.ListTagsResponse;
import software.amazon.awssdk.services.backup.model.TagResourceRequest;
import software.amazon.awssdk.services.backup.model.TagResourceResponse;
import software.amazon.awssdk.services.backup.model.UntagResourceRequest;
import software.amazon.awssdk.services.backup.model.UntagResourceResponse;
import software.amazon.awssdk.services.backup.model.UpdateGlobalSettingsRequest;
import software.amazon.awssdk.services.backup.model.UpdateGlobalSettingsResponse;
import software.amazon.awssdk.services.backup.model.UpdateRegionSettingsRequest;
import software.amazon.awssdk.services.backup.model.UpdateRegionSettingsResponse;

/** Tags, region and global settings, supported resource types. */
public final class AccountProvider {
    private final TagService tags;
    private final SettingsService settings;

    public AccountProvider(TagService tags, SettingsService settings) {
        this.tags = tags;
        this.settings = settings;
    }

    public TagResourceResponse tagResource(RequestContext ctx, TagResourceRequest req) {
        tags.tag(scope(ctx), req.resourceArn(), req.tags());
        return TagResourceResponse.builder().build();
    }

    public UntagResourceResponse untagResource(RequestContext ctx, UntagResourceRequest req) {
        tags.untag(scope(ctx), req.resourceArn(), req.tagKeyList());
        return UntagResourceResponse.builder().build();
    }

    public ListTagsResponse listTags(RequestContext ctx, ListTagsRequest req) {
        return ListTagsResponse.builder().tags(tags.list(scope(ctx), req.resourceArn())).build();
    }

    public DescribeRegionSettingsResponse describeRegionSettings(RequestContext ctx, DescribeRegionSettingsRequest req) {
        Settings s = settings.get(scope(ctx));
        return DescribeRegionSettingsResponse.builder().resourceTypeOptInPreference(s.resourceTypeOptIn())
                .resourceTypeManagementPreference(s.resourceTypeManagement()).build();
    }

    public UpdateRegionSettingsResponse updateRegionSettings(RequestContext ctx, UpdateRegionSettingsRequest req) {
        settings.updateRegion(scope(ctx), req.hasResourceTypeOptInPreference() ? req.resourceTypeOptInPreference() : null,
                req.hasResourceTypeManagementPreference() ? req.resourceTypeManagementPreference() : null);
        return UpdateRegionSettingsResponse.builder().build();
    }

    public DescribeGlobalSettingsResponse describeGlobalSettings(RequestContext ctx, DescribeGlobalSettingsRequest req) {
        Settings s = settings.get(scope(ctx));
        return DescribeGlobalSettingsResponse.builder().globalSettings(s.global()).lastUpdateTime(s.globalUpdated())
                .build();
    }

    public UpdateGlobalSettingsResponse updateGlobalSettings(RequestContext ctx, UpdateGlobalSettingsRequest req) {
        settings.updateGlobal(scope(ctx), req.hasGlobalSettings() ? req.globalSettings() : Map.of());
        return UpdateGlobalSettingsResponse.builder().build();
    }

    public GetSupportedResourceTypesResponse getSupportedResourceTypes(RequestContext ctx,
                                                                       GetSupportedResourceTypesRequest req) {
        return GetSupportedResourceTypesResponse.builder().resourceTypes(SettingsService.RESOURCE_TYPES).build();
    }
}

package io.lifeboat.provider.sts;

import io.lifeboat.provider.RequestContext;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** STS: who am I. Lifeboat's access keys act as their account's root. */
public final class StsProvider {
    public GetCallerIdentityResponse getCallerIdentity(RequestContext ctx, GetCallerIdentityRequest req) {
        return GetCallerIdentityResponse.builder().account(ctx.accountId()).userId(ctx.accountId())
                .arn("arn:aws:iam::" + ctx.accountId() + ":root").build();
    }
}

package io.lifeboat.provider;

/** Who asked and where: the caller's account, the region of the credential scope, the request id. */
public record RequestContext(String accountId, String region, String requestId) {
}

package io.lifeboat.domain;

/**
 * Per-region quotas. The defaults are AWS Backup's; unlike AWS, an operator raises them in the
 * configuration instead of filing a request.
 */
public record Quotas(int vaultsPerRegion, int plansPerRegion) {
    public static final Quotas AWS = new Quotas(300, 300);
}

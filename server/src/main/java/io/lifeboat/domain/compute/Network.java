package io.lifeboat.domain.compute;

import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * The default network every account shows in every region, as EC2 gives new accounts: one default
 * VPC (172.31.0.0/16), one default subnet per availability zone, one default security group. Ids
 * are derived from the scope, so they are stable across restarts and nodes without being stored.
 */
public record Network(String vpcId, String vpcCidr, List<Subnet> subnets, String securityGroupId,
                      String ownerId) {

    public record Subnet(String id, String availabilityZone, String cidr) {
    }

    static final String[] ZONE_SUFFIXES = {"a", "b", "c"};

    public static Network of(Scope scope) {
        List<Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < ZONE_SUFFIXES.length; i++) {
            subnets.add(new Subnet(id("subnet", scope, "subnet" + i), scope.region() + ZONE_SUFFIXES[i],
                    "172.31." + (i * 16) + ".0/20"));
        }
        return new Network(id("vpc", scope, "vpc"), "172.31.0.0/16", List.copyOf(subnets), id("sg", scope, "sg"),
                scope.accountId());
    }

    public Subnet subnet(String subnetId) {
        return subnets.stream().filter(s -> s.id().equals(subnetId)).findFirst().orElse(null);
    }

    public Subnet defaultSubnet() {
        return subnets.get(0);
    }

    private static String id(String prefix, Scope scope, String what) {
        return Ids.derivedEc2(prefix, scope.key() + "/" + what);
    }
}

package io.lifeboat.edge.protocol;

import java.util.List;
import java.util.Map;

/** A request matched to its operation, with its decoded path labels and query or form parameters. */
public record Routed(ServiceModel.Operation operation, Map<String, String> labels, Map<String, List<String>> params) {
}

package io.lifeboat.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The facts of one AWS service that the SDK classes do not carry: protocol, API version, XML
 * namespace, each operation's HTTP binding and input constraints, each error's code and status.
 * Loaded from a table derived from the public service model by {@code tools/gen-service-tables.py}.
 */
public record ServiceModel(String name, String protocol, String apiVersion, String xmlNamespace,
                           String targetPrefix, String signingName,
                           Map<String, Operation> operations, Map<String, ErrorShape> errors) {

    /** One operation's binding. {@code input} is the constraint tree of its input shape, or null. */
    public record Operation(String name, String method, String uri, int status, JsonNode input,
                            String resultWrapper) {
    }

    public record ErrorShape(String code, int status, boolean senderFault) {
    }

    public static ServiceModel load(String service) {
        String resource = "/io/lifeboat/edge/model/" + service + ".json";
        try (InputStream in = ServiceModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing service table " + resource);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Operation> ops = new LinkedHashMap<>();
            root.get("operations").properties().forEach(e -> {
                JsonNode o = e.getValue();
                ops.put(e.getKey(), new Operation(e.getKey(), o.get("method").asText(), o.get("uri").asText(),
                        o.get("status").asInt(), o.get("input"),
                        o.hasNonNull("resultWrapper") ? o.get("resultWrapper").asText() : null));
            });
            Map<String, ErrorShape> errors = new LinkedHashMap<>();
            root.get("errors").properties().forEach(e -> errors.put(e.getKey(), new ErrorShape(
                    e.getValue().get("code").asText(), e.getValue().get("status").asInt(),
                    e.getValue().get("sender").asBoolean())));
            return new ServiceModel(service, root.get("protocol").asText(), root.get("apiVersion").asText(),
                    text(root, "xmlNamespace"), text(root, "targetPrefix"), root.get("signingName").asText(),
                    Map.copyOf(ops), Map.copyOf(errors));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read service table " + resource, e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** The wire form of an error shape; shapes the model does not know are sent as 400 with their name. */
    public AwsError error(String shapeName, String message, Map<String, String> fields) {
        ErrorShape shape = errors.get(shapeName);
        if (shape == null) {
            return new AwsError(shapeName, 400, true, message, fields);
        }
        return new AwsError(shape.code(), shape.status(), shape.senderFault(), message, fields);
    }
}

package io.lifeboat.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * AWS rest-json (the Backup API): operation from method and URI template, members from path
 * labels, query string, headers and a JSON body; errors named in {@code x-amzn-ErrorType}.
 */
final class RestJsonProtocol implements Protocol {
    private static final String JSON = "application/json";

    private final ServiceModel model;
    private final RestRouter router;

    RestJsonProtocol(ServiceModel model) {
        this.model = model;
        this.router = new RestRouter(model.operations().values());
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public Routed route(WireRequest request) {
        Routed routed = router.match(request.method(), request.rawPath(),
                RestRouter.parseQuery(request.rawQuery(), false));
        if (routed == null) {
            throw new WireException(new AwsError("UnknownOperationException", 404,
                    "No " + model.name() + " operation matches " + request.method() + " " + request.rawPath()));
        }
        return routed;
    }

    @Override
    public Object bind(WireRequest request, Routed routed, Class<?> requestClass) {
        JsonNode body = Json.readObject(request.body());
        SdkPojo builder = SdkPojos.newBuilder(requestClass);
        for (SdkField<?> field : builder.sdkFields()) {
            Object value = switch (field.location()) {
                case PATH, GREEDY_PATH -> routed.labels().get(field.locationName());
                case QUERY_PARAM -> queryValue(field, routed.params().get(field.locationName()));
                case HEADER -> request.header(field.locationName().toLowerCase(Locale.ROOT));
                case PAYLOAD -> {
                    JsonNode child = body.get(field.locationName());
                    yield child == null || child.isNull() ? null : JsonBinder.read(field, child, field.locationName());
                }
                default -> null;
            };
            if (value != null) {
                field.set(builder, value);
            }
        }
        return SdkPojos.build(builder);
    }

    private static Object queryValue(SdkField<?> field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            values.forEach(v -> list.add(scalar(member, v)));
            return list;
        }
        return scalar(field, values.get(0));
    }

    static Object scalar(SdkField<?> field, String text) {
        MarshallingType<?> type = field.marshallingType();
        try {
            if (type == MarshallingType.STRING) {
                return text;
            } else if (type == MarshallingType.INTEGER) {
                return Integer.parseInt(text);
            } else if (type == MarshallingType.LONG) {
                return Long.parseLong(text);
            } else if (type == MarshallingType.DOUBLE) {
                return Double.parseDouble(text);
            } else if (type == MarshallingType.BOOLEAN) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException(text);
                }
                return Boolean.parseBoolean(text);
            } else if (type == MarshallingType.INSTANT) {
                return parseInstant(text);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new WireException(new AwsError("SerializationException", 400,
                    "Value '" + text + "' of '" + field.locationName() + "' is not a valid " + typeName(type) + "."));
        }
        throw new WireException(new AwsError("SerializationException", 400,
                "'" + field.locationName() + "' cannot be sent in the query string."));
    }

    private static Instant parseInstant(String text) {
        if (text.matches("-?\\d+(\\.\\d+)?")) {
            return Instant.ofEpochMilli(new java.math.BigDecimal(text).movePointRight(3).longValue());
        }
        return Instant.parse(text);
    }

    private static String typeName(MarshallingType<?> type) {
        return type == MarshallingType.INSTANT ? "timestamp" : type.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public WireResponse encode(Routed routed, Object response, String requestId) {
        boolean hasPayload = false;
        for (SdkField<?> field : ((SdkPojo) response).sdkFields()) {
            hasPayload |= field.location() == MarshallLocation.PAYLOAD;
        }
        byte[] body = hasPayload ? Json.write(g -> JsonBinder.writePojo(g, response)) : new byte[0];
        WireResponse out = WireResponse.of(routed.operation().status(), JSON, body)
                .withHeader("x-amzn-RequestId", requestId);
        for (SdkField<?> field : ((SdkPojo) response).sdkFields()) {
            Object value = field.getValueOrDefault(response);
            if (field.location() == MarshallLocation.HEADER && value != null) {
                out = out.withHeader(field.locationName(), String.valueOf(value));
            }
        }
        return out;
    }

    @Override
    public WireResponse error(AwsError error, String requestId) {
        return WireResponse.of(error.status(), JSON, Json.error("Code", "Message", error))
                .withHeader("x-amzn-ErrorType", error.code())
                .withHeader("x-amzn-RequestId", requestId);
    }

    @Override
    public AwsError authError(AuthFailure failure) {
        return JsonAuthErrors.of(failure);
    }

    @Override
    public String validationShape(boolean missing) {
        if (missing && model.errors().containsKey("MissingParameterValueException")) {
            return "MissingParameterValueException";
        }
        return model.errors().containsKey("InvalidParameterValueException")
                ? "InvalidParameterValueException" : "ValidationException";
    }
}

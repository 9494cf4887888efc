package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;

/**
 * AWS query (IAM, STS, SNS): form-encoded {@code Action=Op&Version=...} with members flattened
 * to {@code Name.member.N} keys, answered with {@code <OpResponse><OpResult>} XML.
 */
final class QueryProtocol implements Protocol {
    private static final String XML = "text/xml";

    private final ServiceModel model;

    QueryProtocol(ServiceModel model) {
        this.model = model;
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    static Map<String, List<String>> form(WireRequest request) {
        Map<String, List<String>> params = RestRouter.parseQuery(request.rawQuery(), true);
        if (request.body().length > 0) {
            RestRouter.parseQuery(new String(request.body(), StandardCharsets.UTF_8), true)
                    .forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return params;
    }

    @Override
    public boolean claims(WireRequest request) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return false;
        }
        List<String> action = form(request).get("Action");
        return action != null && !action.isEmpty() && model.operations().containsKey(action.get(0));
    }

    @Override
    public Routed route(WireRequest request) {
        Map<String, List<String>> params = form(request);
        List<String> action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw new WireException(new AwsError("MissingAction", 400, "Missing Action"));
        }
        ServiceModel.Operation op = model.operations().get(action.get(0));
        if (op == null) {
            throw new WireException(new AwsError("InvalidAction", 400,
                    "Could not find operation " + action.get(0) + " for version " + model.apiVersion()));
        }
        return new Routed(op, Map.of(), params);
    }

    @Override
    public Object bind(WireRequest request, Routed routed, Class<?> requestClass) {
        Map<String, String> flat = new HashMap<>();
        routed.params().forEach((k, v) -> flat.put(k, v.get(0)));
        SdkPojo builder = SdkPojos.newBuilder(requestClass);
        for (SdkField<?> field : builder.sdkFields()) {
            Object value = read(field, field.locationName(), flat);
            if (value != null) {
                field.set(builder, value);
            }
        }
        return SdkPojos.build(builder);
    }

    private static Object read(SdkField<?> field, String name, Map<String, String> params) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            SdkPojo builder = field.constructor().get();
            boolean any = false;
            for (SdkField<?> sub : builder.sdkFields()) {
                Object v = read(sub, name + "." + sub.locationName(), params);
                if (v != null) {
                    sub.set(builder, v);
                    any = true;
                }
            }
            return any ? SdkPojos.build(builder) : null;
        } else if (type == MarshallingType.LIST) {
            ListTrait trait = field.getRequiredTrait(ListTrait.class);
            String prefix = trait.isFlattened() ? name : name + "." + memberName(trait.memberLocationName());
            if (!hasPrefix(params, prefix + ".")) {
                return "".equals(params.get(name)) ? new ArrayList<>() : null;
            }
            List<Object> list = new ArrayList<>();
            for (int i = 1; hasPrefix(params, prefix + "." + i); i++) {
                list.add(read(trait.memberFieldInfo(), prefix + "." + i, params));
            }
            return list;
        } else if (type == MarshallingType.MAP) {
            MapTrait trait = field.getRequiredTrait(MapTrait.class);
            String prefix = trait.isFlattened() ? name : name + ".entry";
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 1; params.containsKey(prefix + "." + i + "." + trait.keyLocationName()); i++) {
                String key = params.get(prefix + "." + i + "." + trait.keyLocationName());
                map.put(key, read(trait.valueFieldInfo(), prefix + "." + i + "." + trait.valueLocationName(), params));
            }
            return map.isEmpty() ? null : map;
        }
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        if (type == MarshallingType.SDK_BYTES) {
            try {
                return SdkBytes.fromByteArray(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                throw new WireException(new AwsError("ValidationError", 400, "'" + name + "' is not base64."));
            }
        }
        try {
            return RestJsonProtocol.scalar(field, text);
        } catch (WireException e) {
            throw new WireException(new AwsError("ValidationError", 400, e.getMessage()));
        }
    }

    private static String memberName(String locationName) {
        return locationName == null || locationName.isEmpty() ? "member" : locationName;
    }

    private static boolean hasPrefix(Map<String, String> params, String prefix) {
        for (String k : params.keySet()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public WireResponse encode(Routed routed, Object response, String requestId) {
        String op = routed.operation().name();
        StringBuilder sb = new StringBuilder(512);
        sb.append("<").append(op).append("Response xmlns=\"").append(model.xmlNamespace()).append("\">");
        String wrapper = routed.operation().resultWrapper();
        if (wrapper != null) {
            sb.append('<').append(wrapper).append('>');
            writeMembers(sb, (SdkPojo) response);
            sb.append("</").append(wrapper).append('>');
        }
        sb.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        sb.append("</").append(op).append("Response>");
        return WireResponse.text(200, XML, sb.toString()).withHeader("x-amzn-RequestId", requestId);
    }

    private static void writeMembers(StringBuilder sb, SdkPojo pojo) {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (JsonBinder.isSet(value)) {
                write(sb, field, field.locationName(), value);
            }
        }
    }

    private static void write(StringBuilder sb, SdkField<?> field, String element, Object value) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            ListTrait trait = field.getRequiredTrait(ListTrait.class);
            if (!trait.isFlattened()) {
                sb.append('<').append(element).append('>');
            }
            String item = trait.isFlattened() ? element : memberName(trait.memberLocationName());
            for (Object v : (List<?>) value) {
                write(sb, trait.memberFieldInfo(), item, v);
            }
            if (!trait.isFlattened()) {
                sb.append("</").append(element).append('>');
            }
            return;
        }
        sb.append('<').append(element).append('>');
        if (type == MarshallingType.SDK_POJO) {
            writeMembers(sb, (SdkPojo) value);
        } else if (type == MarshallingType.MAP) {
            MapTrait trait = field.getRequiredTrait(MapTrait.class);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                sb.append("<entry><").append(trait.keyLocationName()).append('>');
                Xml.text(sb, String.valueOf(e.getKey()));
                sb.append("</").append(trait.keyLocationName()).append('>');
                write(sb, trait.valueFieldInfo(), trait.valueLocationName(), e.getValue());
                sb.append("</entry>");
            }
        } else if (type == MarshallingType.INSTANT) {
            sb.append(((Instant) value).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        } else if (type == MarshallingType.SDK_BYTES) {
            sb.append(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
        } else {
            Xml.text(sb, String.valueOf(value));
        }
        sb.append("</").append(element).append('>');
    }

    @Override
    public WireResponse error(AwsError error, String requestId) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("<ErrorResponse xmlns=\"").append(model.xmlNamespace()).append("\"><Error><Type>")
                .append(error.senderFault() ? "Sender" : "Receiver").append("</Type><Code>");
        Xml.text(sb, error.code()).append("</Code><Message>");
        Xml.text(sb, error.message()).append("</Message></Error><RequestId>").append(requestId)
                .append("</RequestId></ErrorResponse>");
        return WireResponse.text(error.status(), XML, sb.toString()).withHeader("x-amzn-RequestId", requestId);
    }

    @Override
    public AwsError authError(AuthFailure failure) {
        return switch (failure.reason()) {
            case MISSING -> new AwsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
            case INCOMPLETE -> new AwsError("IncompleteSignature", 400, failure.getMessage());
            case UNKNOWN_KEY -> new AwsError("InvalidClientTokenId", 403, failure.getMessage());
            case BAD_SIGNATURE, EXPIRED -> new AwsError("SignatureDoesNotMatch", 403, failure.getMessage());
        };
    }

    @Override
    public String validationShape(boolean missing) {
        return "ValidationError";
    }
}

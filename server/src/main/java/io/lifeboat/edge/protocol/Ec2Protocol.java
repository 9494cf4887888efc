package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * The EC2 query protocol: a form like the query protocol's, but lists are always flat
 * ({@code ResourceId.1}, {@code Filter.1.Value.2}); answered with {@code <OpResponse>} XML that has
 * no result wrapper, camel-case element names, {@code <item>} list entries and a {@code requestId}
 * element; errors as {@code <Response><Errors><Error>}.
 */
final class Ec2Protocol implements Protocol {
    private static final String XML = "text/xml;charset=UTF-8";

    private final ServiceModel model;
    private final String namespace;

    Ec2Protocol(ServiceModel model) {
        this.model = model;
        this.namespace = model.xmlNamespace().endsWith("/") ? model.xmlNamespace() : model.xmlNamespace() + "/";
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public boolean claims(WireRequest request) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return false;
        }
        Map<String, List<String>> form = QueryProtocol.form(request);
        List<String> version = form.get("Version");
        List<String> action = form.get("Action");
        return version != null && version.contains(model.apiVersion()) && action != null
                && model.operations().containsKey(action.get(0));
    }

    @Override
    public Routed route(WireRequest request) {
        Map<String, List<String>> params = QueryProtocol.form(request);
        List<String> action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw new WireException(new AwsError("MissingAction", 400, "The request must contain the parameter Action"));
        }
        ServiceModel.Operation op = model.operations().get(action.get(0));
        if (op == null) {
            throw new WireException(new AwsError("InvalidAction", 400,
                    "The action " + action.get(0) + " is not valid for this web service."));
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
            List<Object> list = new ArrayList<>();
            for (int i = 1; hasPrefix(params, name + "." + i); i++) {
                list.add(read(trait.memberFieldInfo(), name + "." + i, params));
            }
            return list.isEmpty() ? null : list;
        } else if (type == MarshallingType.MAP) {
            return null; // no served EC2 operation takes a map
        }
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        try {
            return RestJsonProtocol.scalar(field, text);
        } catch (WireException e) {
            throw new WireException(new AwsError("InvalidParameterValue", 400,
                    "Value (" + text + ") for parameter " + name + " is invalid."));
        }
    }

    private static boolean hasPrefix(Map<String, String> params, String prefix) {
        if (params.containsKey(prefix)) {
            return true;
        }
        for (String k : params.keySet()) {
            if (k.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public WireResponse encode(Routed routed, Object response, String requestId) {
        String op = routed.operation().name();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(op).append("Response xmlns=\"")
                .append(namespace).append("\"><requestId>").append(requestId).append("</requestId>");
        SdkPojo pojo = (SdkPojo) response;
        if (pojo.sdkFields().isEmpty()) {
            sb.append("<return>true</return>"); // what EC2 answers to actions without output
        } else {
            writeMembers(sb, pojo);
        }
        sb.append("</").append(op).append("Response>");
        return WireResponse.text(200, XML, sb.toString());
    }

    private static void writeMembers(StringBuilder sb, SdkPojo pojo) {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (JsonBinder.isSet(value)) {
                write(sb, field, field.unmarshallLocationName(), value);
            }
        }
    }

    private static void write(StringBuilder sb, SdkField<?> field, String element, Object value) {
        MarshallingType<?> type = field.marshallingType();
        sb.append('<').append(element).append('>');
        if (type == MarshallingType.LIST) {
            ListTrait trait = field.getRequiredTrait(ListTrait.class);
            String item = trait.memberLocationName() == null ? "item" : trait.memberLocationName();
            for (Object v : (List<?>) value) {
                write(sb, trait.memberFieldInfo(), item, v);
            }
        } else if (type == MarshallingType.SDK_POJO) {
            writeMembers(sb, (SdkPojo) value);
        } else if (type == MarshallingType.INSTANT) {
            sb.append(((Instant) value).truncatedTo(ChronoUnit.MILLIS));
        } else {
            Xml.text(sb, String.valueOf(value));
        }
        sb.append("</").append(element).append('>');
    }

    @Override
    public WireResponse error(AwsError error, String requestId) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>");
        Xml.text(sb, error.code()).append("</Code><Message>");
        Xml.text(sb, error.message()).append("</Message></Error></Errors><RequestID>").append(requestId)
                .append("</RequestID></Response>");
        return WireResponse.text(error.status(), XML, sb.toString());
    }

    @Override
    public AwsError authError(AuthFailure failure) {
        return switch (failure.reason()) {
            case MISSING -> new AwsError("MissingAuthenticationToken", 401, "AWS was not able to validate the "
                    + "provided access credentials");
            case INCOMPLETE -> new AwsError("IncompleteSignature", 400, failure.getMessage());
            case UNKNOWN_KEY -> new AwsError("AuthFailure", 401, "AWS was not able to validate the provided access "
                    + "credentials");
            case BAD_SIGNATURE -> new AwsError("SignatureDoesNotMatch", 403, failure.getMessage());
            case EXPIRED -> new AwsError("RequestExpired", 400, failure.getMessage());
        };
    }

    @Override
    public String validationShape(boolean missing) {
        return missing ? "MissingParameter" : "InvalidParameterValue";
    }
}

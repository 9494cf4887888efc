package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
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

    /** Lists are {@code Name.member.N} unless the model flattens them; unreadable values are ValidationErrors. */
    private static final FormBinder binder = new FormBinder(
            (name, trait) -> trait.isFlattened() ? name : name + "." + memberName(trait.memberLocationName()),
            (name, text, problem) -> new AwsError("ValidationError", 400, problem));

    private final ServiceModel model;

    QueryProtocol(ServiceModel model) {
        this.model = model;
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
        List<String> action = FormBinder.form(request).get("Action");
        return action != null && !action.isEmpty() && model.operations().containsKey(action.get(0));
    }

    @Override
    public Routed route(WireRequest request) {
        return FormBinder.route(model, request, new AwsError("MissingAction", 400, "Missing Action"),
                action -> new AwsError("InvalidAction", 400,
                        "Could not find operation " + action + " for version " + model.apiVersion()));
    }

    @Override
    public Object bind(WireRequest request, Routed routed, Class<?> requestClass) {
        return binder.bind(routed, requestClass);
    }

    private static String memberName(String locationName) {
        return locationName == null || locationName.isEmpty() ? "member" : locationName;
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
            sb.append(((Instant) value).truncatedTo(ChronoUnit.MILLIS).toString());
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

package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    /** Lists are always flat ({@code ResourceId.1}); an unreadable value is an InvalidParameterValue. */
    private static final FormBinder binder = new FormBinder((name, trait) -> name,
            (name, text, problem) -> new AwsError("InvalidParameterValue", 400,
                    "Value (" + text + ") for parameter " + name + " is invalid."));

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
        Map<String, List<String>> form = FormBinder.form(request);
        List<String> version = form.get("Version");
        List<String> action = form.get("Action");
        return version != null && version.contains(model.apiVersion()) && action != null
                && model.operations().containsKey(action.get(0));
    }

    @Override
    public Routed route(WireRequest request) {
        return FormBinder.route(model, request,
                new AwsError("MissingAction", 400, "The request must contain the parameter Action"),
                action -> new AwsError("InvalidAction", 400, "The action " + action + " is not valid for this web service."));
    }

    @Override
    public Object bind(WireRequest request, Routed routed, Class<?> requestClass) {
        return binder.bind(routed, requestClass);
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

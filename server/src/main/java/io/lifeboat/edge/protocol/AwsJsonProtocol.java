package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;
import java.util.Map;

/** AWS JSON 1.1 (KMS, EventBridge): {@code POST /}, operation in {@code X-Amz-Target}, JSON both ways. */
final class AwsJsonProtocol implements Protocol {
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final ServiceModel model;

    AwsJsonProtocol(ServiceModel model) {
        this.model = model;
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public boolean claims(WireRequest request) {
        String target = request.header("x-amz-target");
        return target != null && target.startsWith(model.targetPrefix() + ".");
    }

    @Override
    public Routed route(WireRequest request) {
        String target = request.header("x-amz-target");
        String prefix = model.targetPrefix() + ".";
        if (target == null || !target.startsWith(prefix)) {
            throw new WireException(new AwsError("UnknownOperationException", 400,
                    "The X-Amz-Target header must name a " + model.targetPrefix() + " operation."));
        }
        ServiceModel.Operation op = model.operations().get(target.substring(prefix.length()));
        if (op == null) {
            throw new WireException(new AwsError("UnknownOperationException", 400,
                    "Unknown operation " + target + "."));
        }
        if (!"POST".equals(request.method())) {
            throw new WireException(new AwsError("UnknownOperationException", 400,
                    "JSON protocol requests must be sent with POST."));
        }
        return new Routed(op, Map.of(), Map.of());
    }

    @Override
    public Object bind(WireRequest request, Routed routed, Class<?> requestClass) {
        return JsonBinder.readPojo(() -> SdkPojos.newBuilder(requestClass), Json.readObject(request.body()), "");
    }

    @Override
    public WireResponse encode(Routed routed, Object response, String requestId) {
        return WireResponse.of(200, CONTENT_TYPE, Json.write(g -> JsonBinder.writePojo(g, response)))
                .withHeader("x-amzn-RequestId", requestId);
    }

    @Override
    public WireResponse error(AwsError error, String requestId) {
        return WireResponse.of(error.status(), CONTENT_TYPE, Json.error(null, "message", error))
                .withHeader("x-amzn-RequestId", requestId);
    }

    @Override
    public AwsError authError(AuthFailure failure) {
        return JsonAuthErrors.of(failure);
    }
}

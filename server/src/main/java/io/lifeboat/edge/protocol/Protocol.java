package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.AuthFailure;

/**
 * One AWS wire protocol for one service: finds the operation a request names, binds the request
 * to an SDK model object, and writes responses and errors exactly as that protocol does.
 */
public interface Protocol {

    ServiceModel model();

    /** The operation this request names; a {@link WireException} when it names none. */
    Routed route(WireRequest request);

    /** The request as an instance of the SDK request class; a {@link WireException} when unreadable. */
    Object bind(WireRequest request, Routed routed, Class<?> requestClass);

    WireResponse encode(Routed routed, Object response, String requestId);

    WireResponse error(AwsError error, String requestId);

    /**
     * Whether a request without a credential scope names one of this service's operations (by its
     * JSON target or query Action), so the front door can route it.
     */
    default boolean claims(WireRequest request) {
        return false;
    }

    /** The protocol family's spelling of an authentication failure. */
    AwsError authError(AuthFailure failure);

    /** The model's error shape for a validation failure, or the service's unmodeled one. */
    default String validationShape(boolean missing) {
        return "ValidationException";
    }

    /** Creates the protocol a service table names. */
    static Protocol of(ServiceModel model) {
        return switch (model.protocol()) {
            case "rest-json" -> new RestJsonProtocol(model);
            case "json" -> new AwsJsonProtocol(model);
            case "query" -> new QueryProtocol(model);
            case "ec2" -> new Ec2Protocol(model);
            default -> throw new IllegalArgumentException("protocol " + model.protocol() + " is not supported");
        };
    }
}

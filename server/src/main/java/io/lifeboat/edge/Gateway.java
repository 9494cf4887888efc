package io.lifeboat.edge;

import io.lifeboat.domain.DomainException;
import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.protocol.AwsError;
import io.lifeboat.edge.protocol.Routed;
import io.lifeboat.edge.protocol.Validation;
import io.lifeboat.edge.protocol.WireException;
import io.lifeboat.edge.sigv4.AuthFailure;
import io.lifeboat.edge.sigv4.CredentialScope;
import io.lifeboat.edge.sigv4.Principal;
import io.lifeboat.provider.RequestContext;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request pipeline: pick the service (SigV4 credential scope first, then the JSON target or
 * query Action of unsigned requests, else the Backup API), authenticate, route, bind, validate
 * against the model's constraints, call the provider, encode. Every failure leaves as the AWS
 * error of that service's protocol; unexpected ones are logged with the request id and answered
 * with a 500 that carries no internals.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    public static final String HEALTH_PATH = "/_lifeboat/health";
    private static final com.fasterxml.jackson.databind.ObjectMapper ADMIN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Authenticates a request for a service; the anonymous mode of test rigs plugs in here. */
    public interface Authenticator {
        Principal authenticate(WireRequest request) throws AuthFailure;
    }

    /** An operator endpoint under {@code /_lifeboat/}: signed like any AWS request, answered in JSON. */
    public interface AdminRoute {
        WireResponse handle(WireRequest request, Principal principal);
    }

    private final Map<String, ServiceEndpoint> services;
    private final String defaultService;
    private final Authenticator authenticator;
    private final Map<String, AdminRoute> admin;

    public Gateway(Map<String, ServiceEndpoint> services, String defaultService, Authenticator authenticator,
                   Map<String, AdminRoute> admin) {
        this.services = Map.copyOf(services);
        this.defaultService = defaultService;
        this.authenticator = authenticator;
        this.admin = Map.copyOf(admin);
    }

    public WireResponse handle(WireRequest request) {
        String requestId = UUID.randomUUID().toString();
        if (HEALTH_PATH.equals(request.rawPath())) {
            return WireResponse.text(200, "application/json", "{\"status\":\"ok\"}");
        }
        AdminRoute route = admin.get(request.rawPath());
        if (route != null) {
            return admin(route, request, requestId);
        }
        ServiceEndpoint service = pick(request);
        try {
            Principal principal = authenticator.authenticate(request);
            Routed routed = service.protocol().route(request);
            ServiceEndpoint.Handler handler = service.handler(routed.operation().name());
            if (handler == null) {
                throw new WireException(new AwsError("NotImplemented", 501,
                        "Lifeboat does not implement " + service.model().name() + " operation "
                                + routed.operation().name() + " yet."));
            }
            Object sdkRequest = service.protocol().bind(request, routed, handler.requestClass());
            Validation.check(sdkRequest, routed.operation().input()).ifPresent(v -> {
                throw new WireException(service.model().error(service.protocol().validationShape(v.missing()),
                        v.message(), Map.of()));
            });
            RequestContext context = new RequestContext(principal.accountId(), principal.region(), requestId);
            Object response = handler.method().invoke(context, sdkRequest);
            return service.protocol().encode(routed, response, requestId);
        } catch (AuthFailure e) {
            return service.protocol().error(service.protocol().authError(e), requestId);
        } catch (WireException e) {
            return service.protocol().error(e.error(), requestId);
        } catch (DomainException e) {
            return service.protocol().error(toAws(service, e), requestId);
        } catch (Throwable e) {
            LOG.error("request {} to {} failed unexpectedly", requestId, service.model().name(), e);
            return service.protocol().error(new AwsError("InternalFailure", 500, false,
                    "The request processing has failed because of an unknown error (request " + requestId + ").",
                    Map.of()), requestId);
        }
    }

    private WireResponse admin(AdminRoute route, WireRequest request, String requestId) {
        try {
            return route.handle(request, authenticator.authenticate(request));
        } catch (AuthFailure e) {
            return adminError(403, "AccessDenied", e.getMessage());
        } catch (IllegalArgumentException | DomainException e) {
            return adminError(400, "InvalidRequest", e.getMessage());
        } catch (Throwable e) {
            LOG.error("admin request {} to {} failed unexpectedly", requestId, request.rawPath(), e);
            return adminError(500, "InternalFailure", "request " + requestId + " failed");
        }
    }

    private static WireResponse adminError(int status, String code, String message) {
        try {
            return WireResponse.text(status, "application/json", ADMIN_JSON.writeValueAsString(
                    Map.of("code", code, "message", message == null ? "" : message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private AwsError toAws(ServiceEndpoint service, DomainException e) {
        String shape = e.code() != null ? e.code() : e.kind() == DomainException.Kind.MISSING_PARAMETER
                ? service.protocol().validationShape(true) : service.errorShape(e.kind());
        return service.model().error(shape, e.getMessage(), e.fields());
    }

    /** The service a request is for: its credential scope's, else the one whose protocol claims it, else the default. */
    private ServiceEndpoint pick(WireRequest request) {
        Optional<CredentialScope> scope = CredentialScope.of(request);
        if (scope.isPresent() && services.containsKey(scope.get().service())) {
            return services.get(scope.get().service());
        }
        for (ServiceEndpoint s : services.values()) {
            if (s.protocol().claims(request)) {
                return s;
            }
        }
        return services.get(defaultService);
    }
}

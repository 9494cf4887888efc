package io.lifeboat.edge;

import io.lifeboat.domain.DomainException;
import io.lifeboat.edge.protocol.Protocol;
import io.lifeboat.edge.protocol.ServiceModel;
import io.lifeboat.provider.RequestContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * One AWS service as the front door sees it: its protocol, its dispatch table (built once from
 * the providers' public methods of the form {@code XResponse x(RequestContext, XRequest)}), and
 * the table that turns domain error kinds into the service's own error shapes.
 */
public final class ServiceEndpoint {

    /** A provider method bound to its instance. */
    record Handler(Class<?> requestClass, MethodHandle method) {
    }

    private final Protocol protocol;
    private final Map<String, Handler> handlers;
    private final Map<DomainException.Kind, String> errorShapes;

    public ServiceEndpoint(Protocol protocol, Map<DomainException.Kind, String> errorShapes, Object... providers) {
        this.protocol = protocol;
        this.errorShapes = Map.copyOf(errorShapes);
        this.handlers = dispatchTable(protocol.model(), providers);
    }

    private static Map<String, Handler> dispatchTable(ServiceModel model, Object... providers) {
        Map<String, Handler> table = new HashMap<>();
        for (Object provider : providers) {
            for (Method m : provider.getClass().getMethods()) {
                Class<?>[] params = m.getParameterTypes();
                if (Modifier.isStatic(m.getModifiers()) || params.length != 2 || params[0] != RequestContext.class
                        || !params[1].getSimpleName().endsWith("Request")) {
                    continue;
                }
                String op = operationName(model, params[1].getSimpleName().replaceFirst("Request$", ""));
                if (op == null) {
                    throw new IllegalStateException(provider.getClass().getSimpleName() + "." + m.getName()
                            + " names no " + model.name() + " operation");
                }
                try {
                    MethodHandle handle = MethodHandles.publicLookup().unreflect(m).bindTo(provider);
                    if (table.put(op, new Handler(params[1], handle)) != null) {
                        throw new IllegalStateException("two providers implement " + model.name() + " " + op);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("provider method is not accessible: " + m, e);
                }
            }
        }
        return Map.copyOf(table);
    }

    /** The model's spelling of an operation the SDK class names differently (GetBackupPlanFromJson). */
    private static String operationName(ServiceModel model, String sdkName) {
        if (model.operations().containsKey(sdkName)) {
            return sdkName;
        }
        return model.operations().keySet().stream().filter(n -> n.equalsIgnoreCase(sdkName)).findFirst()
                .orElse(null);
    }

    public Protocol protocol() {
        return protocol;
    }

    public ServiceModel model() {
        return protocol.model();
    }

    Handler handler(String operation) {
        return handlers.get(operation);
    }

    String errorShape(DomainException.Kind kind) {
        String shape = errorShapes.get(kind);
        return shape != null ? shape : protocol.validationShape(false);
    }
}

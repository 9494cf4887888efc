package io.lifeboat.edge.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/** Creating SDK model objects by class: a builder from the static {@code builder()} factory, then build. */
final class SdkPojos {
    private static final Map<Class<?>, MethodHandle> FACTORIES = new ConcurrentHashMap<>();

    private SdkPojos() {
    }

    static SdkPojo newBuilder(Class<?> modelClass) {
        MethodHandle factory = FACTORIES.computeIfAbsent(modelClass, c -> {
            try {
                return MethodHandles.publicLookup().findStatic(c, "builder",
                        MethodType.methodType(c.getMethod("builder").getReturnType()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no builder() on " + c.getName(), e);
            }
        });
        try {
            return (SdkPojo) factory.invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create a builder for " + modelClass.getName(), e);
        }
    }

    static Object build(SdkPojo builder) {
        return ((SdkBuilder<?, ?>) builder).build();
    }
}

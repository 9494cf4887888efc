package io.lifeboat.edge.protocol;

import io.lifeboat.edge.http.WireRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;

/**
 * The form side of the query and EC2 protocols: {@code Action=Op&Version=...} with members
 * flattened to dotted keys ({@code Name.member.1}, {@code Tag.1.Key}, {@code Attr.entry.1.key}),
 * routed by Action and bound to an SDK request. The two protocols differ only in where a list's
 * entries start and in how they word a value they cannot read.
 */
final class FormBinder {

    /** The key prefix of a list's entries, given the list's own key. */
    interface ListEntries {
        String prefix(String name, ListTrait trait);
    }

    /** The error for a value that cannot be read: its key, its text, and what was wrong. */
    interface BadValue {
        AwsError error(String name, String text, String problem);
    }

    private final ListEntries lists;
    private final BadValue bad;

    FormBinder(ListEntries lists, BadValue bad) {
        this.lists = lists;
        this.bad = bad;
    }

    /** The form's parameters: query string and form-encoded body together. */
    static Map<String, List<String>> form(WireRequest request) {
        Map<String, List<String>> params = RestRouter.parseQuery(request.rawQuery(), true);
        if (request.body().length > 0) {
            RestRouter.parseQuery(new String(request.body(), StandardCharsets.UTF_8), true)
                    .forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return params;
    }

    /** The operation the form's Action names; {@code missing} and {@code unknown} word the failures. */
    static Routed route(ServiceModel model, WireRequest request, AwsError missing, Function<String, AwsError> unknown) {
        Map<String, List<String>> params = form(request);
        List<String> action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw new WireException(missing);
        }
        ServiceModel.Operation op = model.operations().get(action.get(0));
        if (op == null) {
            throw new WireException(unknown.apply(action.get(0)));
        }
        return new Routed(op, Map.of(), params);
    }

    Object bind(Routed routed, Class<?> requestClass) {
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

    private Object read(SdkField<?> field, String name, Map<String, String> params) {
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
            String prefix = lists.prefix(name, trait);
            if (!has(params, prefix + ".1")) {
                return "".equals(params.get(name)) ? new ArrayList<>() : null; // "Name=" sends an empty list
            }
            List<Object> list = new ArrayList<>();
            for (int i = 1; has(params, prefix + "." + i); i++) {
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
                throw new WireException(bad.error(name, text, "'" + name + "' is not base64."));
            }
        }
        try {
            return RestJsonProtocol.scalar(field, text);
        } catch (WireException e) {
            throw new WireException(bad.error(name, text, e.getMessage()));
        }
    }

    /** Whether the form has the key itself or keys below it ({@code key.…}), so {@code X.1} is not {@code X.10}. */
    private static boolean has(Map<String, String> params, String key) {
        if (params.containsKey(key)) {
            return true;
        }
        for (String k : params.keySet()) {
            if (k.startsWith(key + ".")) {
                return true;
            }
        }
        return false;
    }
}

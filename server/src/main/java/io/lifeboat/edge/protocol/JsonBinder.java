package io.lifeboat.edge.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Binds JSON to SDK model objects and back, driven only by the SDK's field metadata (member
 * names, marshalling types, list and map traits, timestamp formats). Shared by rest-json and
 * awsJson. Unset members are omitted on the way out, never invented as {} or [].
 */
final class JsonBinder {
    private JsonBinder() {
    }

    static Object readPojo(Supplier<SdkPojo> constructor, JsonNode node, String path) {
        if (!node.isObject()) {
            throw mismatch(path, "an object", node);
        }
        SdkPojo builder = constructor.get();
        for (SdkField<?> field : builder.sdkFields()) {
            if (field.location() == MarshallLocation.PAYLOAD) {
                JsonNode child = node.get(field.locationName());
                if (child != null && !child.isNull()) {
                    field.set(builder, read(field, child, join(path, field.locationName())));
                }
            }
        }
        return SdkPojos.build(builder);
    }

    static Object read(SdkField<?> field, JsonNode node, String path) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            if (!node.isTextual()) {
                throw mismatch(path, "a string", node);
            }
            return node.textValue();
        } else if (type == MarshallingType.INTEGER) {
            if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                throw mismatch(path, "an integer", node);
            }
            return node.intValue();
        } else if (type == MarshallingType.LONG) {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw mismatch(path, "an integer", node);
            }
            return node.longValue();
        } else if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT) {
            if (!node.isNumber()) {
                throw mismatch(path, "a number", node);
            }
            return type == MarshallingType.DOUBLE ? (Object) node.doubleValue() : (Object) node.floatValue();
        } else if (type == MarshallingType.BOOLEAN) {
            if (!node.isBoolean()) {
                throw mismatch(path, "a boolean", node);
            }
            return node.booleanValue();
        } else if (type == MarshallingType.INSTANT) {
            return readInstant(node, path);
        } else if (type == MarshallingType.SDK_BYTES) {
            try {
                return SdkBytes.fromByteArray(Base64.getDecoder().decode(node.textValue()));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw mismatch(path, "base64 text", node);
            }
        } else if (type == MarshallingType.SDK_POJO) {
            return readPojo(field.constructor(), node, path);
        } else if (type == MarshallingType.LIST) {
            if (!node.isArray()) {
                throw mismatch(path, "a list", node);
            }
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                list.add(item.isNull() ? null : read(member, item, path + "[" + i + "]"));
            }
            return list;
        } else if (type == MarshallingType.MAP) {
            if (!node.isObject()) {
                throw mismatch(path, "a map", node);
            }
            SdkField<?> value = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(),
                    e.getValue().isNull() ? null : read(value, e.getValue(), path + "." + e.getKey())));
            return map;
        }
        throw mismatch(path, "a supported value", node);
    }

    private static Instant readInstant(JsonNode node, String path) {
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.decimalValue().movePointRight(3).longValue());
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue());
            } catch (DateTimeParseException e) {
                throw mismatch(path, "a timestamp", node);
            }
        }
        throw mismatch(path, "a timestamp", node);
    }

    static void writePojo(JsonGenerator g, Object pojo) throws IOException {
        g.writeStartObject();
        for (SdkField<?> field : ((SdkPojo) pojo).sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            Object value = field.getValueOrDefault(pojo);
            if (isSet(value)) {
                g.writeFieldName(field.locationName());
                write(g, field, value);
            }
        }
        g.writeEndObject();
    }

    static boolean isSet(Object value) {
        return value != null && !(value instanceof SdkAutoConstructList<?>)
                && !(value instanceof SdkAutoConstructMap<?, ?>);
    }

    static void write(JsonGenerator g, SdkField<?> field, Object value) throws IOException {
        MarshallingType<?> type = field.marshallingType();
        if (value == null) {
            g.writeNull();
        } else if (type == MarshallingType.STRING) {
            g.writeString((String) value);
        } else if (type == MarshallingType.INTEGER) {
            g.writeNumber((Integer) value);
        } else if (type == MarshallingType.LONG) {
            g.writeNumber((Long) value);
        } else if (type == MarshallingType.DOUBLE) {
            g.writeNumber((Double) value);
        } else if (type == MarshallingType.FLOAT) {
            g.writeNumber((Float) value);
        } else if (type == MarshallingType.BOOLEAN) {
            g.writeBoolean((Boolean) value);
        } else if (type == MarshallingType.INSTANT) {
            writeInstant(g, field, (Instant) value);
        } else if (type == MarshallingType.SDK_BYTES) {
            g.writeString(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
        } else if (type == MarshallingType.SDK_POJO) {
            writePojo(g, value);
        } else if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            g.writeStartArray();
            for (Object item : (List<?>) value) {
                write(g, member, item);
            }
            g.writeEndArray();
        } else if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, member, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IllegalStateException("cannot write " + type + " for " + field.memberName());
        }
    }

    /** Epoch seconds with millisecond decimals, never an exponent: what AWS sends and Go's SDK parses. */
    private static void writeInstant(JsonGenerator g, SdkField<?> field, Instant instant) throws IOException {
        var format = field.getOptionalTrait(TimestampFormatTrait.class).map(TimestampFormatTrait::format);
        if (format.isPresent() && format.get() == TimestampFormatTrait.Format.ISO_8601) {
            g.writeString(instant.toString());
            return;
        }
        BigDecimal seconds = BigDecimal.valueOf(instant.toEpochMilli(), 3).stripTrailingZeros();
        if (seconds.scale() < 0) {
            seconds = seconds.setScale(0);
        }
        g.writeNumber(seconds);
    }

    static String join(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    private static WireException mismatch(String path, String expected, JsonNode found) {
        return new WireException(new AwsError("SerializationException", 400,
                "Expected " + expected + " at '" + path + "' but found " + describe(found) + "."));
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }
}

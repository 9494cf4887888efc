package io.lifeboat.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Shared JSON reading and writing for the JSON protocols, with nesting and size bounds. Parser and
 * generator buffers come from a shared pool: Jackson's default pool is per thread, and every request
 * runs on a new virtual thread, so it would allocate fresh buffers for each one.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxStringLength(4 * 1024 * 1024).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private Json() {
    }

    /** The body as a JSON object; an empty body is {}. */
    static JsonNode readObject(byte[] body) {
        if (body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new WireException(new AwsError("SerializationException", 400,
                    "The request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new WireException(new AwsError("SerializationException", 400,
                    "The request body must be a JSON object."));
        }
        return node;
    }

    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] error(String typeField, String messageField, AwsError error) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("__type", error.code());
            if (typeField != null) {
                g.writeStringField(typeField, error.code());
            }
            g.writeStringField(messageField, error.message());
            for (Map.Entry<String, String> e : error.fields().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }
}

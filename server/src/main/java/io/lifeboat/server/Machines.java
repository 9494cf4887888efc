package io.lifeboat.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.compute.Backing;
import io.lifeboat.domain.compute.ComputeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Existing machines named in a JSON file ({@code --machines}): each shows up in DescribeInstances
 * with its id, name and tags, its volumes being existing image files, block devices or directories.
 * Volume ids derive from the instance id and device, so they stay the same across restarts.
 * <pre>
 * {"machines": [{"instanceId": "i-0123456789abcdef0", "region": "us-east-1", "name": "db",
 *   "instanceType": "t3.large", "tags": {"Backup": "true"},
 *   "volumes": [{"device": "/dev/xvda", "path": "/srv/db.img"}, {"device": "/dev/sdf", "path": "/srv/www"}]}]}
 * </pre>
 */
final class Machines {
    private Machines() {
    }

    static void declare(Path file, String defaultAccount, ComputeService compute) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read machines file " + file, e);
        }
        for (JsonNode m : root.path("machines")) {
            String id = required(m, "instanceId", file);
            if (!id.matches("i-[0-9a-f]{8}([0-9a-f]{9})?")) {
                throw new IllegalArgumentException(file + ": instanceId " + id + " is not an EC2 instance id "
                        + "(i- and 8 or 17 hex digits)");
            }
            Scope scope = new Scope(m.path("account").asText(defaultAccount), m.path("region").asText("us-east-1"));
            Map<String, String> tags = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.path("tags").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                tags.put(t.getKey(), t.getValue().asText());
            }
            if (m.hasNonNull("name")) {
                tags.put("Name", m.get("name").asText());
            }
            List<ComputeService.DeclaredVolume> volumes = new ArrayList<>();
            for (JsonNode v : m.path("volumes")) {
                String device = required(v, "device", file);
                Path path = Path.of(required(v, "path", file));
                Backing backing = Files.isDirectory(path) ? Backing.DIRECTORY
                        : Files.isRegularFile(path) ? Backing.IMAGE_FILE : Backing.BLOCK_DEVICE;
                long size = backing == Backing.IMAGE_FILE ? size(path) : 0;
                volumes.add(new ComputeService.DeclaredVolume(volumeId(id, device), device, backing, path, size));
            }
            compute.declare(scope, new ComputeService.DeclaredMachine(id, m.path("instanceType").asText(null), tags,
                    volumes));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String required(JsonNode n, String field, Path file) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException(file + ": a machine or volume lacks \"" + field + "\"");
        }
        return n.get(field).asText();
    }

    static String volumeId(String instanceId, String device) {
        return Ids.derivedEc2("vol", instanceId + "|" + device);
    }
}

package io.lifeboat.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.domain.Ids;
import io.lifeboat.edge.sigv4.AccessKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets in the data directory, each in a file only the owner can read: the server master key
 * (32 random bytes) and the access keys of the accounts ({@code credentials.json}). Both are made
 * on first start; files are written whole to a temporary name and renamed into place.
 */
final class Secrets {
    static final String MASTER_KEY_FILE = "master.key";
    static final String CREDENTIALS_FILE = "credentials.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Secrets() {
    }

    static byte[] masterKey(Path dataDir, Ids ids) {
        Path file = dataDir.resolve(MASTER_KEY_FILE);
        try {
            if (Files.exists(file)) {
                byte[] key = Files.readAllBytes(file);
                if (key.length != 32) {
                    throw new IllegalStateException(file + " must hold exactly 32 bytes, found " + key.length);
                }
                return key;
            }
            byte[] key = ids.bytes(32);
            writePrivate(file, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        }
    }

    /** The configured access keys; on first start one new key for the default account, flagged as new. */
    record Keys(List<AccessKey> keys, boolean created) {
    }

    static Keys accessKeys(Path dataDir, String defaultAccountId, Ids ids) {
        Path file = dataDir.resolve(CREDENTIALS_FILE);
        try {
            if (Files.exists(file)) {
                List<AccessKey> keys = new ArrayList<>();
                for (JsonNode k : JSON.readTree(file.toFile()).path("accessKeys")) {
                    keys.add(new AccessKey(k.path("accessKeyId").asText(), k.path("secretAccessKey").asText(),
                            k.path("accountId").asText(defaultAccountId)));
                }
                return new Keys(keys, false);
            }
            AccessKey key = new AccessKey("LKIA" + ids.upperAlnum(16), randomSecret(ids), defaultAccountId);
            ObjectNode root = JSON.createObjectNode();
            ArrayNode list = root.putArray("accessKeys");
            list.addObject().put("accountId", key.accountId()).put("accessKeyId", key.accessKeyId())
                    .put("secretAccessKey", key.secretAccessKey());
            writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            return new Keys(List.of(key), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the credentials file " + file, e);
        }
    }

    private static String randomSecret(Ids ids) {
        return java.util.Base64.getEncoder().withoutPadding().encodeToString(ids.bytes(30))
                .replace('+', 'A').replace('/', 'B');
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}

package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

class KmsWireTest {
    static TestServer server;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        kms = server.kms();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keyLifecycle() {
        KeyMetadata key = kms.createKey(b -> b.description("backups")).keyMetadata();
        assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-1:123456789012:key/" + key.keyId());
        assertThat(key.enabled()).isTrue();
        assertThat(key.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(key.keyManagerAsString()).isEqualTo("CUSTOMER");
        kms.disableKey(b -> b.keyId(key.keyId()));
        assertThat(kms.describeKey(b -> b.keyId(key.arn())).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        kms.enableKey(b -> b.keyId(key.keyId()));
        var scheduled = kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));
        assertThat(scheduled.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(scheduled.deletionDate()).isNotNull();
        assertAwsError(() -> kms.encrypt(b -> b.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))),
                "KMSInvalidStateException", 400);
        kms.cancelKeyDeletion(b -> b.keyId(key.keyId()));
        assertThat(kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        assertThat(kms.listKeysPaginator().keys()).anyMatch(k -> k.keyId().equals(key.keyId()));
        assertAwsError(() -> kms.describeKey(b -> b.keyId("00000000-0000-0000-0000-000000000000")),
                "NotFoundException", 400);
        assertAwsError(() -> kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(3)),
                "ValidationException", 400);
    }

    @Test
    void envelopeEncryptionIsRealAesGcm() {
        String keyId = kms.createKey().keyMetadata().keyId();
        var dataKey = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)
                .encryptionContext(Map.of("vault", "v1")));
        assertThat(dataKey.plaintext().asByteArray()).hasSize(32);
        var back = kms.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(Map.of("vault", "v1")));
        assertThat(back.plaintext().asByteArray()).isEqualTo(dataKey.plaintext().asByteArray());
        assertThat(back.keyId()).endsWith(keyId);
        assertAwsError(() -> kms.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob())
                .encryptionContext(Map.of("vault", "v2"))), "InvalidCiphertextException", 400);
        byte[] tampered = dataKey.ciphertextBlob().asByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertAwsError(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(tampered))
                .encryptionContext(Map.of("vault", "v1"))), "InvalidCiphertextException", 400);

        var sealed = kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("secret")));
        assertThat(new String(sealed.ciphertextBlob().asByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(kms.decrypt(b -> b.ciphertextBlob(sealed.ciphertextBlob())).plaintext().asUtf8String())
                .isEqualTo("secret");
        kms.disableKey(b -> b.keyId(keyId));
        assertAwsError(() -> kms.decrypt(b -> b.ciphertextBlob(sealed.ciphertextBlob())), "DisabledException", 400);
    }

    @Test
    void aliases() {
        String keyId = kms.createKey().keyMetadata().keyId();
        String alias = "alias/" + unique("backups");
        kms.createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
        assertThat(kms.describeKey(b -> b.keyId(alias)).keyMetadata().keyId()).isEqualTo(keyId);
        assertThat(kms.listAliasesPaginator().aliases()).anyMatch(a -> a.aliasName().equals(alias)
                && a.targetKeyId().equals(keyId));
        assertThat(kms.listAliasesPaginator().aliases()).anyMatch(a -> a.aliasName().equals("alias/aws/backup"));
        assertAwsError(() -> kms.createAlias(b -> b.aliasName(alias).targetKeyId(keyId)), "AlreadyExistsException", 400);
        assertAwsError(() -> kms.createAlias(b -> b.aliasName("alias/aws/mine").targetKeyId(keyId)),
                "InvalidAliasNameException", 400);
        kms.deleteAlias(b -> b.aliasName(alias));
        assertAwsError(() -> kms.describeKey(b -> b.keyId(alias)), "NotFoundException", 400);
        assertThat(kms.describeKey(b -> b.keyId("alias/aws/backup")).keyMetadata().keyManagerAsString()).isEqualTo("AWS");
    }
}

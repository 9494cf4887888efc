package io.lifeboat.store.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexCodecTest {
    @Test
    void entriesRoundTripAndAPacksEntriesShareItsName() throws Exception {
        Random r = new Random(9);
        String[] packs = new String[3];
        for (int p = 0; p < packs.length; p++) {
            byte[] name = new byte[32];
            r.nextBytes(name);
            packs[p] = HexFormat.of().formatHex(name);
        }
        Map<ChunkId, Location> entries = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            entries.put(ChunkId.of(id), new Location(packs[i % 3], i * 1000L, 900 + i, 1000 + i));
        }
        Map<ChunkId, Location> decoded = new HashMap<>();
        Repository.decodeIndex("i", Repository.encodeIndex(List.copyOf(entries.entrySet())), decoded::put);
        assertThat(decoded).isEqualTo(entries);
        assertThat(decoded.values().stream().map(Location::pack).map(System::identityHashCode).distinct())
                .as("one string per pack").hasSize(3);
        byte[] encoded = Repository.encodeIndex(List.copyOf(entries.entrySet()));
        assertThatThrownBy(() -> Repository.decodeIndex("i", Arrays.copyOf(encoded, encoded.length - 1), decoded::put))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> Repository.decodeIndex("i", Arrays.copyOf(encoded, encoded.length + 1), decoded::put))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining("malformed");
        assertThat(encoded.length).as("48 bytes a chunk, 36 a pack").isEqualTo(4 + 3 * 36 + 300 * 48);
        Map<ChunkId, Location> none = new HashMap<>();
        Repository.decodeIndex("empty", Repository.encodeIndex(List.of()), none::put);
        assertThat(none).isEmpty();
    }
}

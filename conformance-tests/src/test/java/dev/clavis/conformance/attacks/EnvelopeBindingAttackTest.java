package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.TestStores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker who can rearrange stored ciphertext (a database row, a backup file) but holds no
 * key, against real file stores (issue 14): data keys moved between records, envelopes carried to
 * another keyring, streams cut, reordered and spliced. Each is refused, and none yields plaintext.
 */
class EnvelopeBindingAttackTest {

  @TempDir Path dir;

  @Test
  void wrappedDataKey_movedToARecordWithAnotherContext_isRefused() {
    try (Keyring k = TestStores.open(dir.resolve("a.store"))) {
      k.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      DataKey alice = k.generateDataKey("kek", 256, Map.of("tenant", "alice", "row", "7"));
      DataKey mallory = k.generateDataKey("kek", 256, Map.of("tenant", "mallory", "row", "8"));
      // mallory copies alice's wrapped key into her own row: the app unwraps with mallory's context
      EncryptionContextException e = assertThrows(EncryptionContextException.class,
          () -> k.unwrapDataKey(alice.wrapped(), Map.of("tenant", "mallory", "row", "8")));
      assertTrue(e.getMessage().contains("tenant differs"), e.getMessage());
      // the other way round, and with no context at all
      assertThrows(EncryptionContextException.class, () -> k.unwrapDataKey(mallory.wrapped(), Map.of("tenant", "alice", "row", "7")));
      assertThrows(EncryptionContextException.class, () -> k.unwrapDataKey(alice.wrapped()));
    }
  }

  @Test
  void envelope_carriedToAnotherStoreWithTheSameKeyName_failsNamingTheOtherKeyring() {
    byte[] env;
    try (Keyring a = TestStores.open(dir.resolve("a.store"))) {
      a.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = a.encrypt("pay", "secret".getBytes(), null, Map.of("t", "1"));
    }
    try (Keyring b = TestStores.open(dir.resolve("b.store"))) {
      b.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      KeyringException e = assertThrows(KeyringException.class, () -> b.decrypt(env, null, Map.of("t", "1"), false));
      assertTrue(e.getMessage().contains("another keyring") && e.getMessage().contains("b.store"), e.getMessage());
    }
  }

  @Test
  void stream_cutReorderedOrSpliced_neverDecryptsToTheEnd() throws Exception {
    try (Keyring k = TestStores.open(dir.resolve("s.store"))) {
      k.create("bulk", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] data = new byte[3 * (256 << 10) + 1000];
      new Random(1).nextBytes(data);
      byte[] s1 = encrypt(k, data);
      byte[] s2 = encrypt(k, data);
      int seg = (256 << 10) + 16;
      int header = s1.length - (3 * seg + 1000 + 16);
      byte[] cut = Arrays.copyOf(s1, header + 2 * seg);
      byte[] swapped = s1.clone();
      System.arraycopy(s1, header, swapped, header + seg, seg);
      System.arraycopy(s1, header + seg, swapped, header, seg);
      byte[] spliced = s1.clone();
      System.arraycopy(s2, header + seg, spliced, header + seg, s2.length - header - seg);
      for (byte[] bad : new byte[][] {cut, swapped, spliced}) {
        assertThrows(IOException.class, () -> decrypt(k, bad));
      }
      assertArrayEquals(data, decrypt(k, s1));
    }
  }

  private static byte[] encrypt(Keyring k, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = k.newEncryptingStream("bulk", Map.of("file", "f"), null, out)) {
      s.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] decrypt(Keyring k, byte[] stream) throws IOException {
    try (InputStream s = k.newDecryptingStream(new ByteArrayInputStream(stream), Map.of("file", "f"), null, false)) {
      return s.readAllBytes();
    }
  }
}

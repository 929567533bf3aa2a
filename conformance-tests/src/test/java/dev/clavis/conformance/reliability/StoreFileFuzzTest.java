package dev.clavis.conformance.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Hostile input (issue 6 §4): the store file parser, through {@code Keyrings.openFile} and through
 * the {@code Clavis} KeyStore's {@code load(InputStream)}, takes any bytes and answers only with the
 * declared exceptions: no crash, no {@code OutOfMemoryError} from a forged length, no hang from
 * forged KDF parameters (they are capped before any work).
 */
class StoreFileFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void openStore_anyBytes_onlyKeyringException(byte[] data) throws IOException {
    Path dir = Files.createTempDirectory("clavis-fuzz-store-");
    try {
      Path f = dir.resolve("f.store");
      Files.write(f, data);
      try (Keyring k = TestStores.open(f)) {
        k.list();
        k.auditLog().verify();
      } catch (KeyringException expected) {
        // refused: wrong password, damaged, truncated, another kind of file
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @FuzzTest(maxDuration = "2m")
  void keyStoreLoad_anyBytes_onlyDeclaredExceptions(byte[] data) {
    try {
      KeyStore ks = KeyStore.getInstance("Clavis", new ClavisProvider());
      ks.load(new ByteArrayInputStream(data), TestStores.PASSWORD.toCharArray());
      ks.aliases();
    } catch (IOException | GeneralSecurityException expected) {
      // KeyStore.load's declared exceptions
    }
  }
}

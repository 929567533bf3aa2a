package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key's metadata reaches KeyStore entries as attributes clavis.purpose, clavis.tag.K, … */
class MetadataAttributesTest {

  static final char[] PW = "store password".toCharArray();
  @TempDir Path dir;

  @BeforeAll
  static void provider() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @Test
  void entryAttributes_carryPurposeDescriptionSourceAndTags() throws Exception {
    Path f = dir.resolve("m.clavis");
    KdfParameters kdf = TestStores.FAST_KDF;
    try (Keyring k = Keyrings.openFile(f, PW, kdf)) {
      k.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults(), KeyMetadata.builder().purpose("card numbers")
          .description("PAN column").tag("team", "payments").tag("env", "prod").source("cli").build());
      k.create("bare", KeyAlgorithm.AES_256, KeyPolicy.defaults(), KeyMetadata.empty());
    }
    KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(f, PW));
    Map<String, String> a = new HashMap<>();
    ks.getEntry("pay", null).getAttributes().forEach(x -> a.put(x.getName(), x.getValue()));
    assertEquals("card numbers", a.get("clavis.purpose"));
    assertEquals("PAN column", a.get("clavis.description"));
    assertEquals("cli", a.get("clavis.source"));
    assertEquals("payments", a.get("clavis.tag.team"));
    assertEquals("prod", a.get("clavis.tag.env"));
    assertEquals("ACTIVE", a.get("clavis.status"), "the lifecycle attributes stay");
    Map<String, String> b = new HashMap<>();
    ks.getEntry("bare", null).getAttributes().forEach(x -> b.put(x.getName(), x.getValue()));
    assertFalse(b.keySet().stream().anyMatch(n -> n.startsWith("clavis.tag.") || n.equals("clavis.purpose")), b.toString());
  }
}

package dev.clavis.provider.jca;

import dev.clavis.engine.hd.Bip32Node;
import dev.clavis.engine.hd.Bip32Path;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Security;
import java.time.Duration;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * What the managed HD key tests share: secp256k1 in Bouncy Castle's terms (the oracle), a file
 * store holding one imported seed with Clavis installed, the expected private key of a path, and
 * the states a seed or a derived key can reach.
 */
final class HdKeyFixture {

  static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256k1");
  static final ECDomainParameters DOMAIN = new ECDomainParameters(X9);
  static final BigInteger N = X9.getN();
  /** For random messages and nonces. */
  static final SecureRandom RANDOM = new SecureRandom();

  private HdKeyFixture() {}

  /** @return the file store {@code file} (fast test KDF), Clavis installed, holding {@code seed} as entry {@code name} */
  static Keyring openWithSeed(Path file, String name, byte[] seed) {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
    Keyring ring = reopen(file);
    ring.importSeed(name, seed, KeyPolicy.defaults());
    return ring;
  }

  /** @return the file store {@code file} opened again */
  static Keyring reopen(Path file) {
    return Keyrings.openFile(file, "pw".toCharArray(), TestStores.FAST_KDF);
  }

  /** @return the private key at {@code path} below the master of {@code seed}, derived independently of the keyring */
  static byte[] privateKey(byte[] seed, String path) {
    return Bip32Node.master(seed, false).derive(Bip32Path.parse(path)).privateKeyBytes();
  }

  /**
   * A state a seed version or a derived key's version can reach (neither is ever rotated, so
   * neither is DEPRECATED, PRE_ACTIVE or ROTATING), and how a version is brought into it. Only
   * {@link #ACTIVE} lets the version, or a child of it, sign or verify.
   */
  enum Reachable {
    ACTIVE, SUSPENDED, REVOKED, COMPROMISED, PENDING_DESTRUCTION, DESTROYED;

    /** @return whether a version in this state (or a child of a seed version in it) signs and verifies */
    boolean allowsUse() {
      return this == ACTIVE;
    }

    void enter(Keyring ring, KeyRef version) {
      switch (this) {
        case SUSPENDED -> ring.suspend(version, "test");
        case REVOKED -> ring.revoke(version, "test");
        case COMPROMISED -> ring.markCompromised(version, "test");
        case PENDING_DESTRUCTION -> ring.scheduleDestruction(version, Duration.ofDays(1), true); // below the minimum window: forced
        case DESTROYED -> ring.destroyNow(version, true);
        default -> { }
      }
    }
  }
}

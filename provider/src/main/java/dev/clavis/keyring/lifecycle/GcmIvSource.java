package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The one place Clavis starts a GCM encryption under a managed key, and so the one place its IVs
 * come from. The IV and the operation are made together, so no caller can bring an IV of its own
 * (or a {@code SecureRandom} that repeats): the Cipher SPI and the keyring's envelopes both start
 * encryptions here.
 *
 * <p><b>Why random IVs</b> (NIST SP 800-38D §8.2.2, the RBG-based construction: a 96-bit random
 * field, no invocation field): the IV of every encryption is 96 bits from this process's
 * {@link SecureRandom}. The engine stops every AES version at 2^32 invocations (§8.3,
 * {@link KeyringEngine#GCM_INVOCATION_LIMIT}, counted durably and never under-counted), so the
 * chance that any two of a version's IVs collide over its whole life is below 2^-33, which is
 * the bound §8.3 sets. The deterministic construction of §8.2.1 (a counter from the usage
 * reservation) would make collisions impossible only while the counter never goes back; but a
 * store restored from a backup, a rolled-back file or the same material imported into two stores
 * would then repeat IVs for certain, whereas random IVs stay safe under all three.
 */
public final class GcmIvSource {

  /** 96 bits: the length SP 800-38D §5.2.1.1 recommends, used as the counter block directly. */
  public static final int IV_BYTES = 12;

  private static final SecureRandom RANDOM = new SecureRandom();

  private GcmIvSource() {}

  /** A started encryption with the IV Clavis drew for it. */
  public static final class Encryption {
    private final byte[] iv;
    private final KeyMaterial.AeadOperation operation;

    private Encryption(byte[] iv, KeyMaterial.AeadOperation operation) {
      this.iv = iv;
      this.operation = operation;
    }

    /** @return a copy of the IV, to send with the ciphertext */
    public byte[] iv() {
      return iv.clone();
    }

    /** @return the single-use encryption, already keyed with {@link #iv()} */
    public KeyMaterial.AeadOperation operation() {
      return operation;
    }
  }

  /**
   * Draws a fresh 96-bit IV and starts one GCM encryption with it.
   *
   * @param material the version's material, after the lifecycle check that counted this use
   * @param tagBits the tag length (96 to 128 bits in steps of 8)
   * @return the operation and its IV
   * @throws GeneralSecurityException if the backend cannot start GCM
   */
  public static Encryption start(KeyMaterial material, int tagBits) throws GeneralSecurityException {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    return new Encryption(iv, material.startGcm(true, iv, tagBits));
  }
}

package dev.clavis.provider.jca;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import dev.clavis.spec.HDKeySpec;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactorySpi;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * {@code KeyFactory.BIP32}: maps {@link HDKeySpec} to {@link ExtendedPrivateKey} and
 * {@link ExtendedPublicKey}. The derivation itself lives in {@code dev.clavis.engine.hd}; this
 * class only translates JCA calls and turns the engine's {@link IllegalArgumentException}s (each
 * naming its defect) into {@link InvalidKeySpecException}s.
 */
public final class Bip32KeyFactorySpi extends KeyFactorySpi {

  /** Creates the SPI; the provider table calls this. */
  public Bip32KeyFactorySpi() {}

  /**
   * {@inheritDoc}
   *
   * @throws InvalidKeySpecException if the spec is not an {@link HDKeySpec}, names an
   *     {@code xpub}, or its seed, key or path is malformed
   */
  @Override
  protected PrivateKey engineGeneratePrivate(KeySpec keySpec) throws InvalidKeySpecException {
    HDKeySpec spec = hdSpec(keySpec);
    try {
      return derive(privateRoot(spec), spec.getPath());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc} From a seed or an {@code xprv} the private key is derived and its public half
   * returned; from an {@code xpub} the path must be non-hardened.
   *
   * @throws InvalidKeySpecException if the spec is not an {@link HDKeySpec}, or its seed, key or
   *     path is malformed, or the path has a hardened step below an {@code xpub}
   */
  @Override
  protected PublicKey engineGeneratePublic(KeySpec keySpec) throws InvalidKeySpecException {
    HDKeySpec spec = hdSpec(keySpec);
    try {
      if (spec.getExtendedKey() != null && isPublic(spec.getExtendedKey())) {
        return ExtendedPublicKey.fromBase58(spec.getExtendedKey()).derive(spec.getPath());
      }
      ExtendedPrivateKey k = derive(privateRoot(spec), spec.getPath());
      ExtendedPublicKey pub = k.getPublicKey();
      k.destroy();
      return pub;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc} Gives {@link HDKeySpec} (the key's Base58 form and path {@code m}),
   * {@link ECPrivateKeySpec}/{@link ECPublicKeySpec}, or {@link PKCS8EncodedKeySpec}/
   * {@link X509EncodedKeySpec}.
   *
   * @throws InvalidKeySpecException for another key type or spec class
   */
  @Override
  protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> keySpec) throws InvalidKeySpecException {
    if (key instanceof ExtendedPrivateKey) {
      ExtendedPrivateKey k = (ExtendedPrivateKey) key;
      if (keySpec.isAssignableFrom(HDKeySpec.class)) {
        return keySpec.cast(new HDKeySpec(k.toBase58(), "m"));
      }
      if (keySpec.isAssignableFrom(ECPrivateKeySpec.class)) {
        return keySpec.cast(new ECPrivateKeySpec(k.getS(), k.getParams()));
      }
      if (keySpec.isAssignableFrom(PKCS8EncodedKeySpec.class)) {
        byte[] enc = k.getEncoded();
        try {
          return keySpec.cast(new PKCS8EncodedKeySpec(enc));
        } finally {
          Arrays.fill(enc, (byte) 0);
        }
      }
    } else if (key instanceof ExtendedPublicKey) {
      ExtendedPublicKey k = (ExtendedPublicKey) key;
      if (keySpec.isAssignableFrom(HDKeySpec.class)) {
        return keySpec.cast(new HDKeySpec(k.toBase58(), "m"));
      }
      if (keySpec.isAssignableFrom(ECPublicKeySpec.class)) {
        return keySpec.cast(new ECPublicKeySpec(k.getW(), k.getParams()));
      }
      if (keySpec.isAssignableFrom(X509EncodedKeySpec.class)) {
        return keySpec.cast(new X509EncodedKeySpec(k.getEncoded()));
      }
    } else {
      throw new InvalidKeySpecException("BIP32 handles ExtendedPrivateKey and ExtendedPublicKey, not "
          + (key == null ? "null" : key.getClass().getName()));
    }
    throw new InvalidKeySpecException("cannot express a " + key.getClass().getSimpleName() + " as "
        + keySpec.getName() + "; use HDKeySpec, EC*KeySpec, PKCS8EncodedKeySpec or X509EncodedKeySpec");
  }

  /**
   * {@inheritDoc} BIP32 keys carry a chain code no other provider's key has, so only Clavis's
   * own extended keys translate (to themselves).
   *
   * @throws InvalidKeyException for any other key, or a destroyed one
   */
  @Override
  protected Key engineTranslateKey(Key key) throws InvalidKeyException {
    if (key instanceof ExtendedPrivateKey) {
      if (((ExtendedPrivateKey) key).isDestroyed()) {
        throw new InvalidKeyException("the ExtendedPrivateKey was destroyed");
      }
      return key;
    }
    if (key instanceof ExtendedPublicKey) {
      return key;
    }
    throw new InvalidKeyException("only ExtendedPrivateKey and ExtendedPublicKey are BIP32 keys; a "
        + (key == null ? "null key" : key.getClass().getName()) + " has no chain code");
  }

  /** Derives along path and wipes the root unless the path is {@code m} (the root itself). */
  private static ExtendedPrivateKey derive(ExtendedPrivateKey root, String path) {
    ExtendedPrivateKey k = null;
    try {
      k = root.derive(path);
      return k;
    } finally {
      if (k != root) {
        root.destroy();
      }
    }
  }

  private static HDKeySpec hdSpec(KeySpec keySpec) throws InvalidKeySpecException {
    if (keySpec instanceof HDKeySpec) {
      return (HDKeySpec) keySpec;
    }
    throw new InvalidKeySpecException("BIP32 takes a dev.clavis.spec.HDKeySpec, not "
        + (keySpec == null ? "null" : keySpec.getClass().getName()));
  }

  private static ExtendedPrivateKey privateRoot(HDKeySpec spec) throws InvalidKeySpecException {
    if (spec.getExtendedKey() == null) {
      byte[] seed = spec.getSeed();
      try {
        return ExtendedPrivateKey.fromSeed(seed, spec.getNetwork());
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    }
    // Validates the key fully first, so a malformed xpub is reported by its defect, and refuses a
    // well-formed xpub/tpub after that.
    return ExtendedPrivateKey.fromBase58(spec.getExtendedKey());
  }

  /**
   * True for a string that starts like a serialized public key: the version bytes 0488B21E and
   * 043587CF always encode to "xpub" and "tpub" in a 78-byte payload. Anything else goes the
   * private route, whose parser reports any defect.
   */
  private static boolean isPublic(String base58) {
    return base58.startsWith("xpub") || base58.startsWith("tpub");
  }
}

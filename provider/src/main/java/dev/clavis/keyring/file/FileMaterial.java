package dev.clavis.keyring.file;

import dev.clavis.keyring.lifecycle.JdkKeyPairs;
import dev.clavis.keyring.lifecycle.JdkKeyPairs;
import dev.clavis.engine.kw.IntegrityCheckException;
import dev.clavis.engine.kw.JdkAesBlocks;
import dev.clavis.engine.kw.KeyWrapPadded;
import dev.clavis.engine.kw.KeyWrapPaddedLanes;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.BlockModeOperation;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import dev.clavis.keyring.KeyPairMaterial;
import java.security.Security;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Material held in memory by the file store, used through the JDK's SunJCE (AES-NI) so the
 * managed path costs little more than a plain {@code SecretKeySpec}. Never Clavis itself: a
 * managed handle must not loop back into the lifecycle-enforcing cipher.
 */
final class FileMaterial implements KeyMaterial {

  static final Provider SUNJCE = Security.getProvider("SunJCE");

  /** Per-thread pools of GCM ciphers: getInstance is not free, init is. */
  private static final ThreadLocal<ArrayDeque<Cipher>> GCM_POOL = ThreadLocal.withInitial(ArrayDeque::new);

  private final KeyRef ref;
  private final KeyAlgorithm algorithm;
  private final boolean exportable;
  private final byte[] raw;
  private final SecretKeySpec key;
  /** A key pair's private key, parsed on its first signature; it never leaves this object. */
  private volatile PrivateKey privateKey;

  FileMaterial(KeyRef ref, KeyAlgorithm algorithm, boolean exportable, byte[] raw) {
    this.ref = ref;
    this.algorithm = algorithm;
    this.exportable = exportable;
    this.raw = raw.clone();
    this.key = algorithm.kind() == KeyAlgorithm.Kind.SECRET_KEY
        ? new SecretKeySpec(raw, algorithm == KeyAlgorithm.SECRET ? "RAW" : algorithm.jcaName()) : null;
  }

  static Cipher cipher(String transformation) throws GeneralSecurityException {
    return SUNJCE != null ? Cipher.getInstance(transformation, SUNJCE) : Cipher.getInstance(transformation);
  }

  @Override
  public KeyRef ref() {
    return ref;
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  private void requireAes() throws InvalidKeyException {
    if (!algorithm.isAes()) {
      throw new InvalidKeyException("key " + ref + " is " + algorithm + ", not an AES key");
    }
  }

  @Override
  public AeadOperation startGcm(boolean encrypt, byte[] iv, int tagBits) throws GeneralSecurityException {
    requireAes();
    ArrayDeque<Cipher> pool = GCM_POOL.get();
    Cipher c = pool.poll();
    if (c == null) {
      c = cipher("AES/GCM/NoPadding");
    }
    c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBits, iv));
    return new GcmOp(c);
  }

  private static final class GcmOp implements AeadOperation {
    private Cipher c;

    GcmOp(Cipher c) {
      this.c = c;
    }

    @Override
    public void updateAad(byte[] aad, int offset, int length) {
      c.updateAAD(aad, offset, length);
    }

    @Override
    public int outputSize(int inputLength) {
      return c.getOutputSize(inputLength);
    }

    @Override
    public int update(byte[] in, int offset, int length, byte[] out, int outOffset) throws GeneralSecurityException {
      return c.update(in, offset, length, out, outOffset);
    }

    @Override
    public int doFinal(byte[] in, int offset, int length, byte[] out, int outOffset) throws GeneralSecurityException {
      Cipher done = c;
      try {
        return done.doFinal(in, offset, length, out, outOffset);
      } finally {
        c = null;
        ArrayDeque<Cipher> pool = GCM_POOL.get();
        if (pool.size() < 4) {
          pool.push(done);
        }
      }
    }
  }

  @Override
  public MacOperation startHmac() throws GeneralSecurityException {
    if (!algorithm.isHmac()) {
      throw new InvalidKeyException("key " + ref + " is " + algorithm + ", not an HMAC key");
    }
    String name = algorithm.jcaName();
    Mac m = SUNJCE != null ? Mac.getInstance(name, SUNJCE) : Mac.getInstance(name);
    m.init(key);
    return new MacOperation() {
      @Override
      public void update(byte[] in, int offset, int length) {
        m.update(in, offset, length);
      }

      @Override
      public byte[] doFinal() {
        return m.doFinal();
      }

      @Override
      public void reset() {
        m.reset();
      }
    };
  }

  /** SunJCE's CBC or CTR over the material: the same AES-NI code a migrated key used before. */
  @Override
  public BlockModeOperation startBlockMode(BlockModeOperation.Mode mode, boolean encrypt, byte[] iv)
      throws GeneralSecurityException {
    requireAes();
    Cipher c = cipher(mode.transformation());
    c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
    return new BlockModeOperation() {
      @Override
      public int outputSize(int inputLength) {
        return c.getOutputSize(inputLength);
      }

      @Override
      public byte[] update(byte[] in, int offset, int length) {
        byte[] out = c.update(in, offset, length);
        return out == null ? new byte[0] : out;
      }

      @Override
      public byte[] doFinal(byte[] in, int offset, int length) throws GeneralSecurityException {
        return c.doFinal(in, offset, length);
      }
    };
  }

  @Override
  public byte[] wrapKwp(byte[] keyBytes) throws GeneralSecurityException {
    return wrapKwpAll(List.of(keyBytes)).get(0);
  }

  @Override
  public byte[] unwrapKwp(byte[] wrapped) throws GeneralSecurityException {
    return unwrapKwpAll(List.of(wrapped)).get(0);
  }

  /** RFC 5649 unwrap of every key in one pass of engine/kw's lanes (AES-NI pipelines the keys). */
  @Override
  public List<byte[]> unwrapKwpAll(List<byte[]> wrapped) throws GeneralSecurityException {
    requireAes();
    JdkAesBlocks aes = JdkAesBlocks.decryptor(cipher("AES/ECB/NoPadding"));
    aes.key(new SecretKeySpec(raw, "AES"));
    try {
      return KeyWrapPaddedLanes.unwrapAll(aes, KeyWrapPadded.AIV_CONSTANT, wrapped);
    } catch (IntegrityCheckException e) {
      throw new AEADBadTagException("wrapped key " + e.index() + " failed its integrity check (RFC 5649 §3)");
    } catch (IllegalArgumentException e) {
      throw new AEADBadTagException(e.getMessage());
    }
  }

  /** RFC 5649 wrap of every key in one pass of engine/kw's lanes. */
  @Override
  public List<byte[]> wrapKwpAll(List<byte[]> keys) throws GeneralSecurityException {
    requireAes();
    JdkAesBlocks aes = JdkAesBlocks.encryptor(cipher("AES/ECB/NoPadding"));
    aes.key(new SecretKeySpec(raw, "AES"));
    return KeyWrapPaddedLanes.wrapAll(aes, KeyWrapPadded.AIV_CONSTANT, keys);
  }

  @Override
  public byte[] exportRaw() {
    if (!exportable) {
      throw new UnsupportedOperationException("key " + ref + " was not created exportable");
    }
    return raw.clone();
  }

  @Override
  public byte[] rawForInProcessCrypto() {
    return raw.clone();
  }

  @Override
  public List<byte[]> certificates() {
    if (algorithm == KeyAlgorithm.CERTIFICATE) {
      return List.of(raw.clone());
    }
    if (!algorithm.isKeyPair()) {
      return List.of();
    }
    KeyPairMaterial m = KeyPairMaterial.decode(raw);
    m.wipe();
    return m.chain();
  }

  /** Signs with the JDK's own providers (SunEC, SunRsaSign), never with Clavis's provider; secp256k1 with Clavis's engine. */
  @Override
  public SignOperation startSign(String jcaAlgorithm, AlgorithmParameterSpec params) throws GeneralSecurityException {
    if (algorithm == KeyAlgorithm.SECP256K1) {
      return Secp256k1Signing.start(ref, raw, jcaAlgorithm);
    }
    if (!algorithm.isKeyPair()) {
      throw new InvalidKeyException("key " + ref + " is " + algorithm + " and does not sign");
    }
    Provider p = JdkKeyPairs.provider(algorithm);
    Signature s = Signature.getInstance(jcaAlgorithm, p);
    s.initSign(privateKey(p));
    if (params != null) {
      s.setParameter(params);
    }
    return new SignOperation() {
      @Override
      public void update(byte[] in, int offset, int length) throws SignatureException {
        s.update(in, offset, length);
      }

      @Override
      public byte[] sign() throws SignatureException {
        return s.sign();
      }
    };
  }

  private PrivateKey privateKey(Provider p) throws GeneralSecurityException {
    PrivateKey k = privateKey;
    if (k == null) {
      KeyPairMaterial m = KeyPairMaterial.decode(raw);
      byte[] der = m.pkcs8();
      m.wipe();
      try {
        k = KeyFactory.getInstance(JdkKeyPairs.keyFactory(algorithm), p).generatePrivate(new PKCS8EncodedKeySpec(der));
      } finally {
        Arrays.fill(der, (byte) 0);
      }
      privateKey = k;
    }
    return k;
  }

  void wipe() {
    Arrays.fill(raw, (byte) 0);
    privateKey = null;
  }

  @Override
  public String toString() {
    return "FileMaterial{" + ref + ", " + algorithm + "}";
  }
}

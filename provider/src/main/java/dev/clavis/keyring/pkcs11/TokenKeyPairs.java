package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.Template;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token objects of one key-pair version: the private key ({@code CKO_PRIVATE_KEY}: token,
 * private, sensitive, never extractable, {@code CKA_LABEL} {@code name#N} and {@code CKA_ID}
 * {@code clavis:name#N;ALGORITHM} like a secret-key version) and its certificate chain, a private
 * {@code CKO_DATA} object with {@code CKA_APPLICATION} = {@value #APP_CHAIN} and {@code CKA_LABEL}
 * = the key's {@code CKA_ID}, whose value is
 * {@code u16 n | (u32 length | X.509 DER)^n} (the first certificate is the key's own). A CA reply
 * replaces the chain object by a new one.
 */
final class TokenKeyPairs {

  /** {@code CKA_APPLICATION} of a chain object. */
  static final String APP_CHAIN = "dev.clavis.keyring.chain";

  /** DER of the OIDs of the curves ({@code CKA_EC_PARAMS}). */
  private static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
  private static final byte[] P384 = {0x06, 0x05, 0x2b, (byte) 0x81, 0x04, 0x00, 0x22};
  private static final byte[] ED25519 = {0x06, 0x03, 0x2b, 0x65, 0x70};

  private TokenKeyPairs() {}

  /**
   * The template that imports a software private key onto the token ({@code C_CreateObject}),
   * with its key components; the caller wipes it.
   *
   * @throws IllegalArgumentException if the PKCS#8 does not hold a key of {@code alg}
   */
  static Template importTemplate(KeyRef ref, KeyAlgorithm alg, KeyPairMaterial m) {
    if (alg.isMlDsa()) {
      throw new IllegalArgumentException(TokenMlDsa.refusal("key " + ref, alg));
    }
    byte[] der = m.pkcs8();
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(alg == KeyAlgorithm.ED25519 ? "Ed25519" : alg.jcaName(),
          alg == KeyAlgorithm.RSA ? "SunRsaSign" : "SunEC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the private key of " + ref + " is no " + alg + " key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
    Template.Builder t = base(ref, alg);
    switch (alg) {
      case EC_P256:
      case EC_P384: {
        ECPrivateKey ec = (ECPrivateKey) key;
        int size = alg == KeyAlgorithm.EC_P256 ? 32 : 48;
        if (ec.getParams().getCurve().getField().getFieldSize() != size * 8) {
          throw new IllegalArgumentException("the private key of " + ref + " is not on the curve of " + alg);
        }
        t.ulong(CKA.KEY_TYPE, CKK.EC).bytes(CKA.EC_PARAMS, curve(alg)).bytes(CKA.VALUE, unsigned(ec.getS(), size));
        break;
      }
      case RSA: {
        if (!(key instanceof RSAPrivateCrtKey)) {
          throw new IllegalArgumentException("the RSA key of " + ref + " has no CRT components to import");
        }
        RSAPrivateCrtKey r = (RSAPrivateCrtKey) key;
        t.ulong(CKA.KEY_TYPE, CKK.RSA).bytes(CKA.MODULUS, unsigned(r.getModulus(), 0))
            .bytes(CKA.PUBLIC_EXPONENT, unsigned(r.getPublicExponent(), 0))
            .bytes(CKA.PRIVATE_EXPONENT, unsigned(r.getPrivateExponent(), 0))
            .bytes(CKA.PRIME_1, unsigned(r.getPrimeP(), 0)).bytes(CKA.PRIME_2, unsigned(r.getPrimeQ(), 0))
            .bytes(CKA.EXPONENT_1, unsigned(r.getPrimeExponentP(), 0))
            .bytes(CKA.EXPONENT_2, unsigned(r.getPrimeExponentQ(), 0))
            .bytes(CKA.COEFFICIENT, unsigned(r.getCrtCoefficient(), 0));
        break;
      }
      case ED25519: {
        byte[] seed = ((EdECPrivateKey) key).getBytes()
            .orElseThrow(() -> new IllegalArgumentException("the Ed25519 key of " + ref + " has no seed to import"));
        t.ulong(CKA.KEY_TYPE, CKK.EC_EDWARDS).bytes(CKA.EC_PARAMS, curve(alg)).bytes(CKA.VALUE, seed);
        Arrays.fill(seed, (byte) 0);
        break;
      }
      default:
        throw new IllegalArgumentException(alg + " is no key pair the token holds");
    }
    return t.build();
  }

  /** The attributes every key-pair private key has: sensitive, never extractable, may sign. */
  private static Template.Builder base(KeyRef ref, KeyAlgorithm alg) {
    return Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY)
        .bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true)
        .bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, false)
        .string(CKA.LABEL, ref.toString()).bytes(CKA.ID, TokenObjectIndex.id(ref, alg))
        .bool(CKA.SIGN, true).bool(CKA.DECRYPT, false).bool(CKA.UNWRAP, false).bool(CKA.DERIVE, false);
  }

  /** @return {@code CKA_EC_PARAMS} of an EC or EdDSA algorithm */
  static byte[] curve(KeyAlgorithm alg) {
    switch (alg) {
      case EC_P256: return P256.clone();
      case EC_P384: return P384.clone();
      case ED25519: return ED25519.clone();
      default: throw new IllegalArgumentException(alg + " has no curve");
    }
  }

  private static byte[] unsigned(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    int skip = b.length > 1 && b[0] == 0 ? 1 : 0;
    int len = Math.max(size, b.length - skip);
    byte[] out = new byte[len];
    System.arraycopy(b, skip, out, len - (b.length - skip), b.length - skip);
    Arrays.fill(b, (byte) 0);
    return out;
  }

  // ---------------------------------------------------------------- the chain object

  /** @return the chain object's value */
  static byte[] encodeChain(List<byte[]> chain) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(chain.size() >>> 8);
    o.write(chain.size());
    for (byte[] c : chain) {
      o.writeBytes(ByteBuffer.allocate(4).putInt(c.length).array());
      o.writeBytes(c);
    }
    return o.toByteArray();
  }

  /**
   * @return the certificates of a chain object's value
   * @throws IllegalArgumentException if the value is malformed
   */
  static List<byte[]> decodeChain(byte[] v) {
    try {
      ByteBuffer b = ByteBuffer.wrap(v);
      int n = b.getShort() & 0xffff;
      List<byte[]> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = b.getInt();
        if (len <= 0 || len > b.remaining()) {
          throw new IllegalArgumentException("the certificate chain object on the token is truncated");
        }
        byte[] c = new byte[len];
        b.get(c);
        out.add(c);
      }
      if (b.hasRemaining() || n == 0) {
        throw new IllegalArgumentException("the certificate chain object on the token is malformed");
      }
      return out;
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("the certificate chain object on the token is truncated");
    }
  }

  private static Template.Builder chainSearch(byte[] keyId) {
    return Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true)
        .bytes(CKA.APPLICATION, APP_CHAIN.getBytes(StandardCharsets.UTF_8))
        .string(CKA.LABEL, new String(keyId, StandardCharsets.UTF_8));
  }

  /** Creates the chain object of a key ({@code keyId} = the key's {@code CKA_ID}). @return its handle */
  static long createChain(Session s, byte[] keyId, List<byte[]> chain) throws Pkcs11Exception {
    return s.createObject(chainSearch(keyId).bool(CKA.MODIFIABLE, true).bytes(CKA.VALUE, encodeChain(chain)).build());
  }

  /** @return the handles of a key's chain objects (one, unless a write was interrupted) */
  static long[] chainObjects(Session s, byte[] keyId) throws Pkcs11Exception {
    return s.findObjects(chainSearch(keyId).build());
  }

  /** @return the public-key objects beside a private key (one for a pair generated on the token) */
  static long[] publicKeys(Session s, byte[] keyId) throws Pkcs11Exception {
    return s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PUBLIC_KEY).bool(CKA.TOKEN, true)
        .bytes(CKA.ID, keyId).build());
  }

  /** @return the chain stored beside a key; empty if there is none */
  static List<byte[]> readChain(Session s, byte[] keyId) throws Pkcs11Exception {
    long[] found = chainObjects(s, keyId);
    if (found.length == 0) {
      return List.of();
    }
    // More than one only for the moment a CA reply replaces the chain (or after a crash in that
    // moment): each certifies this key, and the next replacement removes every one.
    return decodeChain(s.getAttributes(found[0], CKA.VALUE).bytes(CKA.VALUE).orElse(new byte[0]));
  }
}

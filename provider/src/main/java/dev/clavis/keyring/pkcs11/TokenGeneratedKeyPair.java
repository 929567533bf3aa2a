package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Template;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A key pair generated on the token by {@code C_GenerateKeyPair} (private key sensitive, never
 * extractable, {@code CKA_LOCAL} true, {@code CKA_SIGN} false until a version's state switches it
 * on), waiting to become a keyring version: it signs its own
 * certificate first ({@link #sign}), then {@link #material} hands the engine a reference to it,
 * which the backend's import resolves by renaming the two objects to {@code name#N}. Until then
 * they are labelled {@code clavis-pending:<random>}; {@link #close()} destroys them unless a
 * version took them.
 *
 * <p>The reference ({@code "CKG" | u8 format (1) | 32-byte nonce | the chain as in
 * {@link KeyPairMaterial#encodeChainReplacement}}) is honoured only by the backend that
 * generated the pair, in this process, once.
 */
public final class TokenGeneratedKeyPair implements AutoCloseable {

  /** The label (and ID) prefix of a pair no version has taken yet. */
  static final String LABEL_PREFIX = "clavis-pending:";
  private static final System.Logger LOG = System.getLogger("dev.clavis.keyring.pkcs11");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, TokenGeneratedKeyPair> PENDING = new ConcurrentHashMap<>();
  private static final byte[] SPKI_ED25519 = HexFormat.of().parseHex("302a300506032b6570032100");

  private final TokenKeyBackend backend;
  private final KeyAlgorithm algorithm;
  private final String nonce;
  final long publicHandle;
  final long privateHandle;
  private final PublicKey publicKey;
  private volatile boolean claimed;

  private TokenGeneratedKeyPair(TokenKeyBackend backend, KeyAlgorithm algorithm, String nonce, long pub, long priv,
      PublicKey publicKey) {
    this.backend = backend;
    this.algorithm = algorithm;
    this.nonce = nonce;
    this.publicHandle = pub;
    this.privateHandle = priv;
    this.publicKey = publicKey;
  }

  /**
   * Generates a key pair on the token of {@code ring}.
   *
   * @param ring a keyring on a token
   * @param algorithm {@code EC_P256}, {@code EC_P384}, {@code RSA} or {@code ED25519}
   * @param rsaBits 2048 to 4096 for RSA (a multiple of 8); ignored otherwise
   * @return the pending pair; the caller closes it
   * @throws IllegalArgumentException if the keyring is not on a token, or for another algorithm or RSA size
   * @throws KeyringException if the token refuses to generate it
   */
  public static TokenGeneratedKeyPair generate(KeyringEngine ring, KeyAlgorithm algorithm, int rsaBits) {
    if (!(ring.backend() instanceof TokenKeyBackend)) {
      throw new IllegalArgumentException("this keyring is not on a token: generate key pairs in software and import them");
    }
    TokenKeyBackend backend = (TokenKeyBackend) ring.backend();
    if (!algorithm.isKeyPair()) {
      throw new IllegalArgumentException(algorithm + " is no key-pair algorithm");
    }
    if (algorithm.isMlDsa()) {
      throw new IllegalArgumentException(TokenMlDsa.refusal("a key pair to generate on the token", algorithm));
    }
    if (algorithm == KeyAlgorithm.RSA && (rsaBits < 2048 || rsaBits > 4096 || rsaBits % 8 != 0)) {
      throw new IllegalArgumentException("RSA keys on the token are 2048 to 4096 bits (a multiple of 8), not " + rsaBits);
    }
    byte[] n = new byte[32];
    RANDOM.nextBytes(n);
    String nonce = HexFormat.of().formatHex(n);
    byte[] id = ("clavis-pending:" + nonce).getBytes(StandardCharsets.UTF_8);
    Template.Builder pub = Template.builder().ulong(CKA.CLASS, CKO.PUBLIC_KEY).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, false).bool(CKA.MODIFIABLE, true).string(CKA.LABEL, "clavis-pending:" + nonce)
        .bytes(CKA.ID, id).bool(CKA.VERIFY, true).bool(CKA.ENCRYPT, false).bool(CKA.WRAP, false);
    Template.Builder priv = Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true).bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, false)
        .string(CKA.LABEL, "clavis-pending:" + nonce).bytes(CKA.ID, id).bool(CKA.SIGN, false)
        .bool(CKA.DECRYPT, false).bool(CKA.UNWRAP, false).bool(CKA.DERIVE, false);
    long mech;
    switch (algorithm) {
      case RSA:
        mech = CKM.RSA_PKCS_KEY_PAIR_GEN;
        pub.ulong(CKA.MODULUS_BITS, rsaBits).bytes(CKA.PUBLIC_EXPONENT, new byte[] {1, 0, 1});
        priv.ulong(CKA.KEY_TYPE, CKK.RSA);
        break;
      case ED25519:
        mech = CKM.EC_EDWARDS_KEY_PAIR_GEN;
        pub.bytes(CKA.EC_PARAMS, TokenKeyPairs.curve(algorithm));
        priv.ulong(CKA.KEY_TYPE, CKK.EC_EDWARDS);
        break;
      default:
        mech = CKM.EC_KEY_PAIR_GEN;
        pub.bytes(CKA.EC_PARAMS, TokenKeyPairs.curve(algorithm));
        priv.ulong(CKA.KEY_TYPE, CKK.EC);
        break;
    }
    long[] h = backend.call("generate a " + algorithm + " key pair",
        s -> s.generateKeyPair(Mechanism.of(mech), pub.build(), priv.build()));
    try {
      PublicKey pk = backend.call("read the new public key", s -> publicKey(algorithm,
          s.getAttributes(h[0], CKA.EC_POINT, CKA.MODULUS, CKA.PUBLIC_EXPONENT)));
      TokenGeneratedKeyPair p = new TokenGeneratedKeyPair(backend, algorithm, nonce, h[0], h[1], pk);
      PENDING.put(nonce, p);
      return p;
    } catch (RuntimeException e) {
      backend.call("destroy the new key pair", s -> {
        s.destroyObject(h[1]);
        s.destroyObject(h[0]);
        return null;
      });
      throw e;
    }
  }

  private static PublicKey publicKey(KeyAlgorithm a, AttributeValues v) {
    try {
      if (a == KeyAlgorithm.RSA) {
        return KeyFactory.getInstance("RSA", "SunRsaSign").generatePublic(new RSAPublicKeySpec(
            new BigInteger(1, v.bytes(CKA.MODULUS).orElseThrow()), new BigInteger(1, v.bytes(CKA.PUBLIC_EXPONENT).orElseThrow())));
      }
      byte[] point = unwrapOctetString(v.bytes(CKA.EC_POINT).orElseThrow());
      if (a == KeyAlgorithm.ED25519) {
        byte[] spki = Arrays.copyOf(SPKI_ED25519, SPKI_ED25519.length + point.length);
        System.arraycopy(point, 0, spki, SPKI_ED25519.length, point.length);
        return KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new X509EncodedKeySpec(spki));
      }
      int len = (point.length - 1) / 2;
      if (point[0] != 4 || point.length != 2 * len + 1) {
        throw new IllegalStateException("the token gave an EC point that is not uncompressed");
      }
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC", "SunEC");
      ap.init(new ECGenParameterSpec(a == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
      ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + len)),
          new BigInteger(1, Arrays.copyOfRange(point, 1 + len, point.length)));
      return KeyFactory.getInstance("EC", "SunEC").generatePublic(new ECPublicKeySpec(w,
          ap.getParameterSpec(ECParameterSpec.class)));
    } catch (GeneralSecurityException | java.util.NoSuchElementException e) {
      throw new KeyringException("the token gave a public key that cannot be read: " + e.getMessage(), e);
    }
  }

  /** CKA_EC_POINT is a DER OCTET STRING (PKCS#11 v2.40 §2.3.3); some modules give the raw point. */
  private static byte[] unwrapOctetString(byte[] v) {
    if (v.length > 2 && v[0] == 0x04) {
      int len = v[1] & 0xff;
      int off = 2;
      if (len == 0x81) {
        len = v[2] & 0xff;
        off = 3;
      }
      if (off + len == v.length) {
        return Arrays.copyOfRange(v, off, v.length);
      }
    }
    return v;
  }

  /** @return the public key */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** @return the algorithm */
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Signs with the pending private key on the token (its own certificate).
   *
   * @param jcaAlgorithm the signature name, as for {@link KeyMaterial#startSign}
   * @param data what to sign
   * @return the signature
   * @throws GeneralSecurityException if the token fails
   * @throws IllegalStateException if a version took the pair already
   */
  public synchronized byte[] sign(String jcaAlgorithm, byte[] data) throws GeneralSecurityException {
    if (claimed) {
      throw new IllegalStateException("this key pair is a keyring version now: sign through the keyring");
    }
    TokenKeyMaterial m = new TokenKeyMaterial(backend, KeyRef.of("pending", 1), algorithm, false, privateHandle,
        backend.token().sessions().epoch());
    // A pending private key is generated with CKA_SIGN false, so a crash never leaves a key any PIN
    // holder can sign with; it may sign only for this call, and signs as a version once the
    // engine's commit writes its state (TokenStateAttributes).
    setSign(true);
    try {
      KeyMaterial.SignOperation op = TokenSigner.start(m, jcaAlgorithm, null);
      op.update(data, 0, data.length);
      return op.sign();
    } finally {
      forbidSign("after its self-signature");
    }
  }

  /**
   * Switches signing off, once more if the first attempt fails. A failure is logged (the pending
   * label's first characters and the token, no key) and thrown: the caller then has no certificate,
   * no version takes the pair, and {@link #close()} forces it off again before destroying it.
   *
   * @throws KeyringException if the token refuses twice
   */
  private void forbidSign(String when) {
    try {
      setSign(false);
    } catch (KeyringException first) {
      try {
        setSign(false);
        LOG.log(System.Logger.Level.WARNING, "switching CKA_SIGN off " + when + " for pending key pair " + shortLabel()
            + " on " + backend.describe() + " failed once and succeeded on the retry: " + first.getMessage());
      } catch (KeyringException second) {
        second.addSuppressed(first);
        LOG.log(System.Logger.Level.WARNING, "could not switch CKA_SIGN off " + when + " for pending key pair "
            + shortLabel() + " on " + backend.describe() + " (" + second.getMessage() + "): it may still sign for a"
            + " PIN holder until it is destroyed; delete leftover clavis-pending:* objects if this process ends first");
        throw second;
      }
    }
  }

  /** @return the pending label, shortened for logs (the nonce names the pair in this process only) */
  private String shortLabel() {
    return shorten(LABEL_PREFIX + nonce);
  }

  /** @return {@code label} (a pending one) with its nonce cut to 8 characters, for logs */
  static String shorten(String label) {
    int keep = LABEL_PREFIX.length() + 8;
    return label.length() <= keep ? label : label.substring(0, keep) + "...";
  }

  /** @return whether {@code label} names a pair this process generated and no version has taken yet */
  static boolean isPendingHere(String label) {
    return label.startsWith(LABEL_PREFIX) && PENDING.containsKey(label.substring(LABEL_PREFIX.length()));
  }

  private void setSign(boolean on) {
    Template t = Template.builder().bool(CKA.SIGN, on).build();
    backend.call((on ? "allow" : "forbid") + " the pending key pair to sign", s -> {
      s.setAttributes(privateHandle, t);
      return null;
    });
  }

  /**
   * @param chain the certificate chain, the pair's own certificate first
   * @return the material to import as the pair's version ({@code Keyring.importKey}): a reference,
   *     no key
   */
  public byte[] material(List<byte[]> chain) {
    byte[] c = KeyPairMaterial.encodeChainReplacement(chain);
    byte[] n = HexFormat.of().parseHex(nonce);
    byte[] out = new byte[4 + 32 + c.length - 4];
    out[0] = 'C';
    out[1] = 'K';
    out[2] = 'G';
    out[3] = 1;
    System.arraycopy(n, 0, out, 4, 32);
    System.arraycopy(c, 4, out, 36, c.length - 4);
    return out;
  }

  /** @return whether {@code stored} is a reference made by {@link #material} */
  static boolean isReference(byte[] stored) {
    return stored.length > 36 && stored[0] == 'C' && stored[1] == 'K' && stored[2] == 'G';
  }

  /**
   * Takes the pending pair a reference names, for {@code backend} only, once.
   *
   * @return the pair and the chain
   * @throws IllegalArgumentException if the reference is malformed, unknown, of another backend or
   *     algorithm, or taken already
   */
  static Map.Entry<TokenGeneratedKeyPair, List<byte[]>> claim(TokenKeyBackend backend, KeyAlgorithm alg, byte[] stored) {
    if (stored[3] != 1) {
      throw new IllegalArgumentException("a generated-key-pair reference of format " + stored[3] + ", this Clavis reads 1");
    }
    String nonce = HexFormat.of().formatHex(stored, 4, 36);
    byte[] chain = new byte[stored.length - 32];
    chain[0] = 'C';
    chain[1] = 'K';
    chain[2] = 'C';
    chain[3] = 1;
    System.arraycopy(stored, 36, chain, 4, stored.length - 36);
    List<byte[]> certs = KeyPairMaterial.decodeChainReplacement(chain).orElseThrow();
    TokenGeneratedKeyPair p = PENDING.get(nonce);
    if (p == null || p.backend != backend || p.algorithm != alg || p.claimed) {
      throw new IllegalArgumentException("no key pair generated on " + backend.describe() + " in this process"
          + " answers this reference (unknown, of another algorithm, or taken already)");
    }
    p.claimed = true;
    PENDING.remove(nonce);
    return Map.entry(p, certs);
  }

  /**
   * The chain a generated pair is claimed with must certify the pair's own public key, as read from
   * the token (the private key never leaves it, so the keyring's in-process proof cannot run).
   *
   * @throws IllegalArgumentException if the first certificate cannot be read or is of another key
   */
  static void requireCertifies(KeyRef ref, PublicKey generated, List<byte[]> chain) {
    PublicKey certified;
    try {
      certified = java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(chain.get(0))).getPublicKey();
    } catch (java.security.cert.CertificateException ex) {
      throw new IllegalArgumentException("the first certificate of the chain for key " + ref + " cannot be read: "
          + ex.getMessage() + "; nothing was stored", ex);
    }
    if (!Arrays.equals(generated.getEncoded(), certified.getEncoded())) {
      throw new IllegalArgumentException("the first certificate of the chain for key " + ref + " does not match the"
          + " private key generated on the token: its public key is another; nothing was stored");
    }
  }

  /** Makes a claimed pair pending again (the transaction that took it rolled back, and may run again). */
  void unclaim() {
    claimed = false;
    PENDING.put(nonce, this);
  }

  /** @return the label and ID of the pair while it is pending */
  Template pendingNames() {
    return Template.builder().string(CKA.LABEL, "clavis-pending:" + nonce)
        .bytes(CKA.ID, ("clavis-pending:" + nonce).getBytes(StandardCharsets.UTF_8)).build();
  }

  /**
   * Destroys the pair on the token unless a version took it. Its {@code CKA_SIGN} is forced false
   * first, so a pair the token will not destroy (or a failed reset after the self-signature) is
   * left unable to sign; each failure is logged with the shortened label, for an operator.
   */
  @Override
  public void close() {
    if (PENDING.remove(nonce) != null && !claimed) {
      try {
        setSign(false);
      } catch (KeyringException e) {
        LOG.log(System.Logger.Level.WARNING, "could not switch CKA_SIGN off for unused pending key pair " + shortLabel()
            + " on " + backend.describe() + " before destroying it: " + e.getMessage());
      }
      try {
        backend.call("destroy the unused key pair", s -> {
          s.destroyObject(privateHandle);
          s.destroyObject(publicHandle);
          return null;
        });
      } catch (KeyringException e) {
        LOG.log(System.Logger.Level.WARNING, "could not destroy unused pending key pair " + shortLabel() + " on "
            + backend.describe() + " (" + e.getMessage() + "): delete the clavis-pending:* objects left on the token");
      }
    }
  }
}

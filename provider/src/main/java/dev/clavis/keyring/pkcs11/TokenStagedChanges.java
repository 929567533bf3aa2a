package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Template;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes of one token transaction. Key objects are created on the token at once (generated,
 * imported, or unwrapped there for bring your own key; a trusted certificate's certificate
 * object) and destroyed again on rollback; erased versions and the new metadata wait for the
 * commit. It alone knows the template of a key-version object.
 */
final class TokenStagedChanges implements KeyBackend.Changes {

  final List<TokenKeyMaterial> created = new ArrayList<>();
  final List<KeyRef> erased = new ArrayList<>();
  /** Puts back what this transaction changed in place (replaced chains), on rollback. */
  private final List<Runnable> restores = new ArrayList<>();
  /** Versions that took a key pair generated on the token: given back, not destroyed, on rollback. */
  private final List<TokenKeyMaterial> generated = new ArrayList<>();
  byte[] metadata;
  private final TokenKeyBackend backend;
  private final TokenObjectIndex index;

  TokenStagedChanges(TokenKeyBackend backend, TokenObjectIndex index) {
    this.backend = backend;
    this.index = index;
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyringException if the token fails to generate the key
   */
  @Override
  public void generate(KeyRef version, KeyAlgorithm algorithm, boolean exportable) {
    created.add(generateKey(version, algorithm, exportable));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the material's length does not fit {@code algorithm}
   * @throws KeyringException if the token fails to create the object
   */
  @Override
  public void importMaterial(KeyRef version, KeyAlgorithm algorithm, byte[] material, boolean exportable) {
    TokenKeyMaterial m = importKey(version, algorithm, material, exportable);
    if (m != null) { // null: a chain replacement, staged in restores
      created.add(m);
    }
  }

  /**
   * Bring your own key: the material arrives wrapped and is unwrapped on the token.
   *
   * @throws KeyringException if the KEK has no material on this token or the token fails to unwrap
   * @throws IllegalArgumentException if the wrapped length does not fit {@code algorithm}
   */
  @Override
  public void unwrapMaterial(KeyRef version, KeyAlgorithm algorithm, KeyMaterial kek, byte[] wrapped) {
    if (!(kek instanceof TokenKeyMaterial)) {
      throw new KeyringException("the KEK of " + version + " has no material on " + backend.describe());
    }
    try {
      created.add(unwrapImport(version, algorithm, (TokenKeyMaterial) kek, wrapped));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot import " + version + " by unwrapping it on " + backend.describe() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void erase(KeyRef version) {
    erased.add(version);
  }

  @Override
  public void setMetadata(byte[] metadata) {
    this.metadata = metadata.clone();
  }

  /** Destroys the key objects this transaction created, and puts back the chains it replaced. */
  void rollback() {
    for (TokenKeyMaterial m : created) {
      if (!generated.contains(m)) {
        index.destroyQuietly(m);
      }
    }
    created.clear();
    generated.clear();
    for (Runnable r : restores) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // the token refuses: the newer chain (already checked against the key) stays
      }
    }
    restores.clear();
  }

  /**
   * A key pair generated on the token ({@link TokenGeneratedKeyPair}) becomes the version: its two
   * objects are renamed {@code name#N} and its chain object is created. On rollback they are
   * renamed back and the pair is pending again, so a transaction that runs again takes it again.
   */
  private TokenKeyMaterial takeGenerated(KeyRef ref, KeyAlgorithm alg, byte[] reference) {
    java.util.Map.Entry<TokenGeneratedKeyPair, List<byte[]>> e = TokenGeneratedKeyPair.claim(backend, alg, reference);
    TokenGeneratedKeyPair p = e.getKey();
    try {
      TokenGeneratedKeyPair.requireCertifies(ref, p.publicKey(), e.getValue());
    } catch (RuntimeException ex) {
      p.unclaim(); // still pending: the caller may claim it with its own certificate
      throw ex;
    }
    byte[] id = TokenObjectIndex.id(ref, alg);
    Template names = Template.builder().string(CKA.LABEL, ref.toString()).bytes(CKA.ID, id).build();
    try {
      backend.call("take the generated key pair as " + ref, s -> {
        s.setAttributes(p.privateHandle, names);
        s.setAttributes(p.publicHandle, names);
        TokenKeyPairs.createChain(s, id, e.getValue());
        return null;
      });
    } catch (RuntimeException ex) {
      p.unclaim();
      throw ex;
    }
    TokenKeyMaterial m = new TokenKeyMaterial(backend, ref, alg, false, p.privateHandle,
        backend.token().sessions().epoch());
    generated.add(m);
    restores.add(() -> backend.call("give the generated key pair of " + ref + " back", s -> {
      s.setAttributes(p.privateHandle, p.pendingNames());
      s.setAttributes(p.publicHandle, p.pendingNames());
      for (long h : TokenKeyPairs.chainObjects(s, id)) {
        s.destroyObject(h);
      }
      p.unclaim();
      return null;
    }));
    return m;
  }

  /**
   * A CA reply onto a version that stays on the token: a new chain object replaces the old one
   * now (SoftHSM2 keeps a data object's value read-only), and the old one comes back if the
   * transaction does not commit. The chain is public and the caller checked that it certifies
   * this version's key, so a reader that sees either chain in between sees a valid one.
   */
  private void replaceChain(KeyRef ref, KeyAlgorithm alg, List<byte[]> chain) {
    byte[] id = TokenObjectIndex.id(ref, alg);
    Object[] swapped = backend.call("replace the certificate chain of " + ref, s -> {
      long[] found = TokenKeyPairs.chainObjects(s, id);
      if (found.length == 0) {
        throw new KeyringException("key " + ref + " has no certificate chain object on " + backend.describe()
            + "; nothing was changed");
      }
      byte[] before = s.getAttributes(found[0], CKA.VALUE).bytes(CKA.VALUE).orElse(new byte[0]);
      requireSameKey(ref, TokenKeyPairs.decodeChain(before), chain);
      long created = TokenKeyPairs.createChain(s, id, chain);
      for (long h : found) {
        s.destroyObject(h);
      }
      return new Object[] {before, created};
    });
    byte[] old = (byte[]) swapped[0];
    long fresh = (Long) swapped[1];
    TokenCertificateExpiry.forget(index.get(ref)); // the next state write reads the new notAfter
    restores.add(() -> backend.call("restore the certificate chain of " + ref, s -> {
      TokenKeyPairs.createChain(s, id, TokenKeyPairs.decodeChain(old));
      s.destroyObject(fresh);
      TokenCertificateExpiry.forget(index.get(ref));
      return null;
    }));
  }

  /**
   * The token's own check that a new chain is for the key already there: whoever reaches this
   * backend's changes (not only the engine, which checks first) cannot put another key's
   * certificate behind a version.
   */
  private static void requireSameKey(KeyRef ref, List<byte[]> current, List<byte[]> chain) {
    if (current.isEmpty() || chain.isEmpty()
        || !java.util.Arrays.equals(publicKey(ref, current.get(0)), publicKey(ref, chain.get(0)))) {
      throw new KeyringException("the new certificate chain for " + ref + " certifies another key than the one on"
          + " the token; nothing was changed");
    }
  }

  private static byte[] publicKey(KeyRef ref, byte[] der) {
    try {
      return java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der)).getPublicKey().getEncoded();
    } catch (java.security.cert.CertificateException e) {
      throw new KeyringException("a certificate of " + ref + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static Template.Builder keyTemplate(KeyRef ref, KeyAlgorithm alg, boolean exportable) {
    boolean aes = alg.isAes();
    boolean hmac = alg.isHmac();
    // An opaque SECRET is stored only: no mechanism may use it.
    return Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
        .ulong(CKA.KEY_TYPE, aes ? CKK.AES : CKK.GENERIC_SECRET)
        .bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true)
        .bool(CKA.SENSITIVE, !exportable).bool(CKA.EXTRACTABLE, exportable)
        .string(CKA.LABEL, ref.toString()).bytes(CKA.ID, TokenObjectIndex.id(ref, alg))
        .bool(CKA.ENCRYPT, aes).bool(CKA.DECRYPT, aes).bool(CKA.WRAP, aes).bool(CKA.UNWRAP, aes)
        .bool(CKA.SIGN, hmac).bool(CKA.VERIFY, hmac).bool(CKA.DERIVE, false);
  }

  private TokenKeyMaterial generateKey(KeyRef ref, KeyAlgorithm alg, boolean exportable) {
    boolean hmac = alg.isHmac();
    Template t = keyTemplate(ref, alg, exportable).ulong(CKA.VALUE_LEN, alg.bits() / 8).build();
    long h = backend.call("generate " + ref, s -> s.generateKey(
        Mechanism.of(hmac ? CKM.GENERIC_SECRET_KEY_GEN : CKM.AES_KEY_GEN), t));
    return new TokenKeyMaterial(backend, ref, alg, exportable, h, backend.token().sessions().epoch());
  }

  private TokenKeyMaterial importKey(KeyRef ref, KeyAlgorithm alg, byte[] material, boolean exportable) {
    if (alg.isKeyPair()) {
      if (exportable) {
        throw new IllegalArgumentException("key " + ref + ": a key pair on " + backend.describe()
            + " is never exportable (its private key is sensitive there); create it without exportable");
      }
      return importKeyPair(ref, alg, material);
    }
    if (alg == KeyAlgorithm.CERTIFICATE) {
      return importCertificate(ref, material, exportable);
    }
    if (alg.kind() != KeyAlgorithm.Kind.SECRET_KEY) {
      throw new IllegalArgumentException("the PKCS#11 key store holds secret keys, key pairs and trusted"
          + " certificates, not " + alg + " (" + ref + ")");
    }
    if (!alg.acceptsLength(material.length)) {
      throw new IllegalArgumentException(alg == KeyAlgorithm.SECRET
          ? "a SECRET is 1 to " + KeyAlgorithm.MAX_SECRET_BYTES + " bytes, got " + material.length
          : "an " + alg + " key is " + alg.bits() / 8 + " bytes, got " + material.length);
    }
    Template t = keyTemplate(ref, alg, exportable).bytes(CKA.VALUE, material).build();
    try {
      long h = backend.call("import " + ref, s -> s.createObject(t));
      return new TokenKeyMaterial(backend, ref, alg, exportable, h, backend.token().sessions().epoch());
    } finally {
      t.wipe();
    }
  }

  /** A trusted certificate onto the token as an X.509 certificate object ({@link TokenTrustedCertificates}). */
  private TokenKeyMaterial importCertificate(KeyRef ref, byte[] der, boolean exportable) {
    Template t = TokenTrustedCertificates.template(ref, der);
    long h = backend.call("import the trusted certificate " + ref, s -> s.createObject(t));
    return new TokenKeyMaterial(backend, ref, KeyAlgorithm.CERTIFICATE, exportable, h,
        backend.token().sessions().epoch());
  }

  /**
   * A software key pair onto the token: the private key by {@code C_CreateObject} (sensitive,
   * never extractable; {@code CKA_LOCAL} stays false, so the token itself tells it was imported) and its chain object beside it ({@link TokenKeyPairs}).
   */
  private TokenKeyMaterial importKeyPair(KeyRef ref, KeyAlgorithm alg, byte[] material) {
    if (TokenGeneratedKeyPair.isReference(material)) {
      return takeGenerated(ref, alg, material);
    }
    java.util.Optional<List<byte[]>> reply = dev.clavis.keyring.KeyPairMaterial.decodeChainReplacement(material);
    if (reply.isPresent()) {
      replaceChain(ref, alg, reply.get());
      return null;
    }
    dev.clavis.keyring.KeyPairMaterial m = dev.clavis.keyring.KeyPairMaterial.decode(material);
    Template t;
    try {
      t = TokenKeyPairs.importTemplate(ref, alg, m);
    } finally {
      m.wipe();
    }
    byte[] id = TokenObjectIndex.id(ref, alg);
    try {
      long h = backend.call("import " + ref, s -> {
        long key = s.createObject(t);
        try {
          TokenKeyPairs.createChain(s, id, m.chain());
        } catch (dev.clavis.pkcs11.Pkcs11Exception | RuntimeException e) {
          s.destroyObject(key);
          throw e;
        }
        return key;
      });
      return new TokenKeyMaterial(backend, ref, alg, false, h, backend.token().sessions().epoch());
    } finally {
      t.wipe();
    }
  }

  /**
   * Imports a key wrapped with RFC 5649 under another version's material (bring your own key):
   * {@code C_UnwrapKey} on the token, so the key is never in the clear outside the token.
   *
   * @return the new material; staged by the caller's transaction
   */
  private TokenKeyMaterial unwrapImport(KeyRef ref, KeyAlgorithm alg, TokenKeyMaterial kek, byte[] wrapped)
      throws GeneralSecurityException {
    // RFC 5649 §4.1: the output is the padded key plus 8 bytes; AES and HMAC key sizes are
    // multiples of 8, so the length pins the key size (SoftHSM2 leaves CKA_VALUE_LEN at 0 after
    // C_UnwrapKey, and refuses it in the template, so it cannot be checked on the token).
    if (wrapped.length != alg.bits() / 8 + 8) {
      throw new IllegalArgumentException("a wrapped " + alg + " key is " + (alg.bits() / 8 + 8) + " bytes, got "
          + wrapped.length);
    }
    Template t = keyTemplate(ref, alg, false).build();
    long h = backend.withKey(kek, "unwrap", (s, k) -> {
      long key = backend.keyWrap().unwrapKwp(s, k, wrapped, t);
      long len = s.getAttributes(key, CKA.VALUE_LEN).ulong(CKA.VALUE_LEN).orElse(0L);
      if (len != 0 && len * 8 != alg.bits()) {
        s.destroyObject(key);
        throw new IllegalArgumentException("the unwrapped key is " + len + " bytes, an " + alg + " key is "
            + alg.bits() / 8);
      }
      return key;
    });
    return new TokenKeyMaterial(backend, ref, alg, false, h, backend.token().sessions().epoch());
  }
}

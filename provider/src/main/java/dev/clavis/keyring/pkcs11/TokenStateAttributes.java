package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.KeyBackend.VersionStates;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.Template;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps each key object's usage attributes ({@code CKA_ENCRYPT}, {@code CKA_WRAP},
 * {@code CKA_DECRYPT}, {@code CKA_UNWRAP}; HMAC: {@code CKA_SIGN}, {@code CKA_VERIFY}) in line with
 * its version's lifecycle state (a key pair's private key: {@code CKA_SIGN}, false also once its
 * certificate's {@code notAfter} has passed), so another PKCS#11 client cannot misuse a version:
 * when the keyring opens, after every commit, and for the one audited override use of a
 * {@code COMPROMISED} version.
 */
final class TokenStateAttributes {

  /** Usage bits written to a key's attributes. */
  static final int USE_PROTECT = 1;
  static final int USE_UNPROTECT = 2;

  private final TokenKeyBackend backend;
  private final TokenObjectIndex index;
  /** The states of the last commit the engine told, for restoring attributes after an override. */
  private volatile VersionStates committedStates = ref -> Optional.empty();

  TokenStateAttributes(TokenKeyBackend backend, TokenObjectIndex index) {
    this.backend = backend;
    this.index = index;
  }

  /**
   * The usage bits a key's attributes grant now, so {@link #enforce} writes only what differs;
   * -1 when the attributes are in no combination Clavis sets (another client changed them).
   */
  static int usageOf(AttributeValues v, KeyAlgorithm alg) {
    if (alg.isKeyPair()) {
      // CKA_VERIFY is on the public object beside it: unknown from the private key, so written once
      return -1;
    }
    if (alg.isHmac()) {
      boolean sign = v.bool(CKA.SIGN).orElse(false);
      boolean verify = v.bool(CKA.VERIFY).orElse(false);
      return (sign ? USE_PROTECT : 0) | (verify ? USE_UNPROTECT : 0);
    }
    boolean enc = v.bool(CKA.ENCRYPT).orElse(false);
    boolean dec = v.bool(CKA.DECRYPT).orElse(false);
    if (enc != v.bool(CKA.WRAP).orElse(false) || dec != v.bool(CKA.UNWRAP).orElse(false)) {
      return -1;
    }
    return (enc ? USE_PROTECT : 0) | (dec ? USE_UNPROTECT : 0);
  }

  /**
   * Writes a version's lifecycle state into its own attributes (PKCS#11 v2.40 §4.7.2): a version
   * that may not encrypt gets {@code CKA_ENCRYPT}, {@code CKA_WRAP} (HMAC: {@code CKA_SIGN})
   * false; one that may not decrypt also {@code CKA_DECRYPT}, {@code CKA_UNWRAP}
   * ({@code CKA_VERIFY}) false. A suspended version is switched back on when it resumes.
   *
   * @throws KeyringException if the token refuses to change an attribute
   */
  void enforce(KeyRef version, KeyState state) {
    TokenKeyMaterial m = index.get(version);
    if (m == null || m.algorithm() == KeyAlgorithm.SECRET || m.algorithm() == KeyAlgorithm.CERTIFICATE) {
      return; // a SECRET or a trusted certificate has no usage attributes to switch
    }
    boolean pair = m.algorithm().isKeyPair();
    // a key pair whose certificate has expired signs no more, on the token as in Clavis
    boolean protect = state.allowsProtect() && !(pair && TokenCertificateExpiry.expired(m, System.currentTimeMillis()));
    int want = (protect ? USE_PROTECT : 0) | (state.allowsUnprotect() ? USE_UNPROTECT : 0);
    if (m.usage == want) {
      return;
    }
    boolean unprotect = state.allowsUnprotect();
    // A key pair's private key signs (the protect column); verifying is the certificate's, in Java.
    Template t = pair ? Template.builder().bool(CKA.SIGN, protect).build()
        : m.algorithm().isHmac()
        ? Template.builder().bool(CKA.SIGN, protect).bool(CKA.VERIFY, unprotect).build()
        : Template.builder().bool(CKA.ENCRYPT, protect).bool(CKA.WRAP, protect)
            .bool(CKA.DECRYPT, unprotect).bool(CKA.UNWRAP, unprotect).build();
    try {
      backend.withKey(m, "set the usage attributes", (s, h) -> {
        s.setAttributes(h, t);
        if (pair) { // the public object of a pair generated on the token verifies while the state may
          Template verify = Template.builder().bool(CKA.VERIFY, unprotect).build();
          for (long pub : TokenKeyPairs.publicKeys(s, TokenObjectIndex.id(version, m.algorithm()))) {
            s.setAttributes(pub, verify);
          }
        }
        return null;
      });
      m.usage = want;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot write the state " + state + " of " + version + " into its attributes on "
          + backend.describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Brings every indexed version's usage attributes in line with its committed state. Versions
   * whose attributes already match cost nothing.
   *
   * @throws KeyringException if the token refuses to change an attribute
   */
  void afterCommit(VersionStates states) {
    committedStates = states;
    for (KeyRef r : index.versions()) {
      states.of(r).ifPresent(st -> enforce(r, st));
    }
  }

  /**
   * A {@code COMPROMISED} version's attributes forbid decryption: they are switched on for the
   * duration of the audited override use, and back to the committed state after it.
   *
   * @throws KeyringException if the token refuses to change the attributes
   */
  <T> T overridingState(KeyRef version, Supplier<T> use) {
    if (committedStates.of(version).orElse(null) != KeyState.COMPROMISED) {
      return use.get();
    }
    try {
      enforce(version, KeyState.DEPRECATED);
      return use.get();
    } finally {
      enforce(version, committedStates.of(version).orElse(KeyState.COMPROMISED));
    }
  }
  /**
   * A key pair's private key signs its own certification request (the engine checked the bytes
   * and the state, and audited it) though its state may forbid signing on the token (a staged
   * {@code PRE_ACTIVE} version, an expired certificate): {@code CKA_SIGN} is on for {@code use}
   * only, then the committed state is written again. A crash in between leaves it on until the
   * next open or commit writes the state ({@link #afterCommit}); another PIN holder could sign in
   * that window, as with a pending pair's self-signature.
   *
   * @throws KeyringException if the token refuses to change the attribute
   */
  <T> T provingPossession(KeyRef version, Supplier<T> use) {
    TokenKeyMaterial m = index.get(version);
    KeyState st = committedStates.of(version).orElse(null);
    if (m == null || !m.algorithm().isKeyPair() || st == null) {
      return use.get();
    }
    synchronized (m) {
      m.usage = -1; // unknown from here: the state written afterwards is written whatever it was
      setSign(m, version, true);
      try {
        return use.get();
      } finally {
        enforce(version, committedStates.of(version).orElse(st));
      }
    }
  }

  private void setSign(TokenKeyMaterial m, KeyRef version, boolean on) {
    Template t = Template.builder().bool(CKA.SIGN, on).build();
    try {
      backend.withKey(m, "allow the certification request's signature", (s, h) -> {
        s.setAttributes(h, t);
        return null;
      });
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot allow " + version + " to sign its certification request on "
          + backend.describe() + ": " + e.getMessage(), e);
    }
  }
}

package dev.clavis.keyring.pkcs11;

import dev.clavis.engine.kw.KeyWrapPadded;
import dev.clavis.keyring.spi.HeldKeys;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.TokenKeyWrap;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * Data keys unwrapped onto the token ({@code C_UnwrapKey}) as session objects that are sensitive
 * (their value is never readable) and extractable only by wrapping, then wrapped under another
 * KEK ({@code C_WrapKey}) and destroyed: the on-token rewrap of a KEK rotation, in which a data key
 * never exists in host memory. The only attribute read from a held key is {@code CKA_VALUE_LEN};
 * with it, or a trial AES-ECB block where the module does not report it, {@link
 * TokenKeyWrap#kwpMechanismForHeld} chooses the mechanism that gives RFC 5649 output for the
 * key's length, or none (then the key is rewrapped in host memory, and the result says so).
 */
final class TokenHeldKeys implements HeldKeys {

  /**
   * Session-only, sensitive, wrappable: the value stays on the token and goes when closed. An AES
   * key with {@code CKA_ENCRYPT}, for the length trial of {@link TokenKeyWrap#kwpMechanismForHeld}
   * (data keys are AES keys; a module that refuses the type for another length gets {@link #HELD_GENERIC}).
   */
  private static final Template HELD_AES = held(CKK.AES, true);
  private static final Template HELD_GENERIC = held(CKK.GENERIC_SECRET, false);

  private static Template held(long keyType, boolean encrypt) {
    return Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, keyType)
        .bool(CKA.TOKEN, false).bool(CKA.PRIVATE, true).bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, true)
        .bool(CKA.ENCRYPT, encrypt).bool(CKA.DECRYPT, false).bool(CKA.SIGN, false).bool(CKA.VERIFY, false)
        .bool(CKA.WRAP, false).bool(CKA.UNWRAP, false).build();
  }

  private final TokenKeyBackend backend;
  private final TokenKeyMaterial source;
  private final long[] objects;
  /** Each key's RFC 5649 padded length (its output's length less 8); its own length is at most 7 less. */
  private final int[] lengths;
  private String limitation;
  private boolean closed;

  private TokenHeldKeys(TokenKeyBackend backend, TokenKeyMaterial source, long[] objects, int[] lengths) {
    this.backend = backend;
    this.source = source;
    this.objects = objects;
    this.lengths = lengths;
  }

  /**
   * Unwraps every output onto the token under {@code source}; all or nothing.
   *
   * @throws AEADBadTagException naming the index of an output the token refused to unwrap
   * @throws GeneralSecurityException if the token fails otherwise
   */
  static TokenHeldKeys unwrap(TokenKeyBackend backend, TokenKeyMaterial source, List<byte[]> wrapped)
      throws GeneralSecurityException {
    TokenKeyWrap mechanisms = backend.keyWrap();
    long[] objects = new long[wrapped.size()];
    int[] lengths = new int[wrapped.size()];
    int[] failed = {-1};
    try {
      backend.withKey(source, "unwrap", (s, kek) -> {
        int made = 0;
        try {
          Mechanism m = Mechanism.of(mechanisms.kwpMechanismUnwrap());
          for (int k = 0; k < objects.length; k++) {
            byte[] w = wrapped.get(k);
            if (!KeyWrapPadded.isValidCiphertextLength(w.length)) {
              failed[0] = k;
              throw new Pkcs11Exception("C_UnwrapKey", CKR.WRAPPED_KEY_LEN_RANGE, CKR.name(CKR.WRAPPED_KEY_LEN_RANGE));
            }
            try {
              objects[k] = unwrapOne(s, m, kek, w);
            } catch (Pkcs11Exception e) {
              if (isIntegrityFailure(e.returnValue())) {
                failed[0] = k;
              }
              throw e;
            }
            made++;
            lengths[k] = w.length - 8;
          }
          return null;
        } catch (Pkcs11Exception | RuntimeException e) {
          destroyQuietly(s, objects, made);
          throw e;
        }
      });
    } catch (GeneralSecurityException e) {
      if (failed[0] >= 0) {
        // SoftHSM2 reports a failed RFC 5649 check as CKR_GENERAL_ERROR; nothing is held either way
        throw new AEADBadTagException("wrapped key " + failed[0] + " failed its integrity check on the token"
            + " (RFC 5649 §3)");
      }
      throw e;
    }
    return new TokenHeldKeys(backend, source, objects, lengths);
  }

  private static long unwrapOne(Session s, Mechanism m, long kek, byte[] w) throws Pkcs11Exception {
    try {
      return s.unwrapKey(m, kek, w, HELD_AES);
    } catch (Pkcs11Exception e) {
      long rv = e.returnValue();
      if (rv == CKR.TEMPLATE_INCONSISTENT || rv == CKR.KEY_SIZE_RANGE || rv == CKR.ATTRIBUTE_VALUE_INVALID) {
        return s.unwrapKey(m, kek, w, HELD_GENERIC); // a key of no AES length, on a strict module
      }
      throw e;
    }
  }

  private static boolean isIntegrityFailure(long rv) {
    return rv == CKR.WRAPPED_KEY_INVALID || rv == CKR.WRAPPED_KEY_LEN_RANGE || rv == CKR.ENCRYPTED_DATA_INVALID
        || rv == CKR.ENCRYPTED_DATA_LEN_RANGE || rv == CKR.DATA_INVALID || rv == CKR.GENERAL_ERROR
        || rv == CKR.FUNCTION_FAILED;
  }

  @Override
  public int size() {
    return objects.length;
  }

  /** {@code C_WrapKey} of each held key under {@code target}; a length without an RFC 5649 mechanism gives null. */
  @Override
  public List<byte[]> wrapKwpUnder(KeyMaterial target) throws GeneralSecurityException {
    if (closed) {
      throw new IllegalStateException("these held keys were destroyed");
    }
    if (!(target instanceof TokenKeyMaterial) || ((TokenKeyMaterial) target).backend() != backend) {
      throw new IllegalArgumentException(target.ref() + " is not on " + backend.describe()
          + ": held keys are wrapped on the token that holds them");
    }
    TokenKeyWrap mechanisms = backend.keyWrap();
    byte[][] out = new byte[objects.length][];
    int[] missing = {0, 0};
    backend.withKey((TokenKeyMaterial) target, "wrap", (s, kek) -> {
      for (int k = 0; k < objects.length; k++) {
        long m = mechanisms.kwpMechanismForHeld(s, objects[k], lengths[k]);
        if (m == 0) {
          missing[0]++;
          missing[1] = lengths[k];
          continue;
        }
        out[k] = s.wrapKey(Mechanism.of(m), kek, objects[k]);
      }
      return null;
    });
    if (missing[0] > 0) {
      limitation = missing[0] + " data key(s) (e.g. one padded to " + missing[1] + " bytes) cannot be wrapped on "
          + backend.describe() + " as RFC 5649 requires (" + mechanisms.findings()
          + "); they were rewrapped through the token's AES-ECB, in host memory";
    }
    return Arrays.asList(out);
  }

  @Override
  public String limitation() {
    return limitation;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      backend.withKey(source, "destroy held data keys", (s, unused) -> {
        destroyQuietly(s, objects, objects.length);
        return null;
      });
    } catch (GeneralSecurityException | RuntimeException e) {
      // session objects go with their session at the latest; nothing of them is readable meanwhile
    }
  }

  private static void destroyQuietly(Session s, long[] objects, int n) {
    for (int k = 0; k < n; k++) {
      try {
        s.destroyObject(objects[k]);
      } catch (Pkcs11Exception e) {
        // already gone with a lost session
      }
    }
  }

  @Override
  public String toString() {
    return "TokenHeldKeys{" + objects.length + " under " + source.ref() + "}";
  }
}

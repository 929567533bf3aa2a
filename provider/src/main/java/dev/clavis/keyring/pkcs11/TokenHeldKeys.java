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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * Data keys unwrapped onto the token ({@code C_UnwrapKey}) as session objects that are sensitive
 * (their value is never readable) and extractable only by wrapping, then wrapped under another
 * KEK ({@code C_WrapKey}) and destroyed: the on-token rewrap of a KEK rotation, in which a data key
 * never exists in host memory. The only attribute read from a held key is {@code CKA_VALUE_LEN},
 * to choose the mechanism that gives RFC 5649 output for its length ({@link TokenKeyWrap}).
 */
final class TokenHeldKeys implements HeldKeys {

  /** Session-only, sensitive, wrappable: the value stays on the token and goes when closed. */
  private static final Template HELD = Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
      .ulong(CKA.KEY_TYPE, CKK.GENERIC_SECRET).bool(CKA.TOKEN, false).bool(CKA.PRIVATE, true)
      .bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, true).bool(CKA.ENCRYPT, false).bool(CKA.DECRYPT, false)
      .bool(CKA.SIGN, false).bool(CKA.VERIFY, false).bool(CKA.WRAP, false).bool(CKA.UNWRAP, false).build();

  private final TokenKeyBackend backend;
  private final TokenKeyMaterial source;
  private final long[] objects;
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
              objects[k] = s.unwrapKey(m, kek, w, HELD);
            } catch (Pkcs11Exception e) {
              if (isIntegrityFailure(e.returnValue())) {
                failed[0] = k;
              }
              throw e;
            }
            made++;
            lengths[k] = Math.toIntExact(s.getAttributes(objects[k], CKA.VALUE_LEN).ulong(CKA.VALUE_LEN)
                .orElseThrow(() -> new Pkcs11Exception("C_GetAttributeValue", "the token did not tell the length"
                    + " of an unwrapped data key", null)));
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
        long m = mechanisms.kwpMechanismFor(lengths[k]);
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
      limitation = missing[0] + " data key(s) (e.g. of " + missing[1] + " bytes) cannot be wrapped on "
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

package dev.clavis.keyring.pkcs11;

import dev.clavis.engine.kw.IntegrityCheckException;
import dev.clavis.engine.kw.KeyWrap;
import dev.clavis.engine.kw.KeyWrapPadded;
import dev.clavis.engine.kw.KeyWrapPaddedLanes;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.TokenKeyWrap;
import dev.clavis.pkcs11.WrapIntegrityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 3394 (KW) and RFC 5649 (KWP) of key bytes under a token KEK, whatever the module's own
 * mechanisms do: the module mechanism where its known-answer test passed ({@link TokenKeyWrap}),
 * otherwise engine/kw, the one RFC implementation, over the token's {@code CKM_AES_ECB}
 * ({@link TokenAesEcb}; the KEK never leaves the token). A bulk wrap or unwrap runs the ECB keys
 * as lanes of {@link KeyWrapPaddedLanes}, one {@code C_Encrypt} per step for all of them.
 */
final class TokenRfcWrap {

  private TokenRfcWrap() {}

  /**
   * RFC 3394 wrap of bytes the caller holds.
   *
   * @throws Pkcs11Exception if the token fails, or offers neither a passing KW mechanism nor ECB
   * @throws IllegalArgumentException if the length is not a multiple of 8 of at least 16
   */
  static byte[] encryptKw(TokenKeyWrap mechanisms, Session s, long kek, byte[] data) throws Pkcs11Exception {
    if (!KeyWrap.isValidPlaintextLength(data.length)) {
      throw new IllegalArgumentException("RFC 3394 wraps 16 bytes or more, a multiple of 8; got " + data.length);
    }
    if (mechanisms.nativeKw()) {
      return mechanisms.wrapBytes(s, CKM.AES_KEY_WRAP, kek, data);
    }
    mechanisms.requireEcb("KW");
    byte[] out = new byte[data.length + 8];
    try {
      KeyWrap.wrap(new TokenAesEcb(s, kek, true), KeyWrap.DEFAULT_IV, data, 0, data.length, out, 0);
    } catch (TokenAesEcb.TokenFailure e) {
      throw e.getCause();
    }
    return out;
  }

  /**
   * RFC 3394 unwrap to bytes.
   *
   * @throws WrapIntegrityException if the integrity check fails
   * @throws Pkcs11Exception if the token fails, or offers neither a passing KW mechanism nor ECB
   */
  static byte[] decryptKw(TokenKeyWrap mechanisms, Session s, long kek, byte[] wrapped)
      throws Pkcs11Exception, WrapIntegrityException {
    if (!KeyWrap.isValidCiphertextLength(wrapped.length)) {
      throw new WrapIntegrityException();
    }
    if (mechanisms.nativeKw()) {
      return nativeOrEcb(mechanisms, s, CKM.AES_KEY_WRAP, kek, wrapped, false);
    }
    mechanisms.requireEcb("KW");
    return ecbUnwrap(s, kek, wrapped, false);
  }

  /**
   * RFC 5649 wrap of 1 or more bytes the caller holds.
   *
   * @throws Pkcs11Exception if the token fails, or can give RFC 5649 output neither with a module
   *     mechanism nor with ECB (the message names the deviation)
   * @throws IllegalArgumentException if {@code data} is empty
   */
  static byte[] encryptKwp(TokenKeyWrap mechanisms, Session s, long kek, byte[] data) throws Pkcs11Exception {
    if (data.length == 0) {
      throw new IllegalArgumentException("RFC 5649 wraps at least 1 byte");
    }
    long m = mechanisms.kwpMechanismFor(data.length);
    if (m != 0) {
      return mechanisms.wrapBytes(s, m, kek, data);
    }
    if (!mechanisms.offersEcb()) {
      throw mechanisms.kwpRefusal("wrap " + data.length + " bytes");
    }
    byte[] out = new byte[KeyWrapPadded.wrappedLength(data.length)];
    try {
      KeyWrapPadded.wrap(new TokenAesEcb(s, kek, true), KeyWrapPadded.AIV_CONSTANT, data, 0, data.length, out, 0);
    } catch (TokenAesEcb.TokenFailure e) {
      throw e.getCause();
    }
    return out;
  }

  /**
   * RFC 5649 unwrap to bytes.
   *
   * @throws WrapIntegrityException if the integrity check fails
   * @throws Pkcs11Exception if the token fails, or offers neither a passing unwrap mechanism nor ECB
   */
  static byte[] decryptKwp(TokenKeyWrap mechanisms, Session s, long kek, byte[] wrapped)
      throws Pkcs11Exception, WrapIntegrityException {
    if (!KeyWrapPadded.isValidCiphertextLength(wrapped.length)) {
      throw new WrapIntegrityException();
    }
    if (mechanisms.kwpMechanismUnwrap() != 0) {
      return nativeOrEcb(mechanisms, s, mechanisms.kwpMechanismUnwrap(), kek, wrapped, true);
    }
    if (!mechanisms.offersEcb()) {
      throw mechanisms.kwpRefusal("unwrap");
    }
    return ecbUnwrap(s, kek, wrapped, true);
  }

  /**
   * RFC 5649 wrap of many keys: those of a length the module wraps correctly go through its
   * mechanism one by one, the others through engine/kw's lanes over the token's ECB.
   *
   * @return the wrapped keys, in the order of {@code keys}
   * @throws Pkcs11Exception as {@link #encryptKwp}
   * @throws IllegalArgumentException if a key is empty; the message names its index
   */
  static List<byte[]> encryptKwpAll(TokenKeyWrap mechanisms, Session s, long kek, List<byte[]> keys)
      throws Pkcs11Exception {
    byte[][] out = new byte[keys.size()][];
    List<Integer> lanes = new ArrayList<>();
    for (int k = 0; k < out.length; k++) {
      byte[] key = keys.get(k);
      if (key.length == 0) {
        throw new IllegalArgumentException("key " + k + " is empty: RFC 5649 wraps at least 1 byte");
      }
      long m = mechanisms.kwpMechanismFor(key.length);
      if (m != 0) {
        out[k] = mechanisms.wrapBytes(s, m, kek, key);
      } else {
        lanes.add(k);
      }
    }
    if (!lanes.isEmpty()) {
      if (!mechanisms.offersEcb()) {
        throw mechanisms.kwpRefusal("wrap " + keys.get(lanes.get(0)).length + " bytes");
      }
      List<byte[]> in = new ArrayList<>(lanes.size());
      for (int k : lanes) {
        in.add(keys.get(k));
      }
      List<byte[]> wrapped;
      try {
        wrapped = KeyWrapPaddedLanes.wrapAll(new TokenAesEcb(s, kek, true), KeyWrapPadded.AIV_CONSTANT, in);
      } catch (TokenAesEcb.TokenFailure e) {
        throw e.getCause();
      }
      for (int j = 0; j < lanes.size(); j++) {
        out[lanes.get(j)] = wrapped.get(j);
      }
    }
    return Arrays.asList(out);
  }

  /**
   * RFC 5649 unwrap of many keys: through the module's unwrap mechanism one by one where it
   * passed, otherwise through engine/kw's lanes over the token's ECB. Nothing is returned unless
   * every key passes.
   *
   * @return the keys, in the order of {@code wrapped}
   * @throws IntegrityCheckException naming the index of a key that failed its check
   * @throws Pkcs11Exception as {@link #decryptKwp}
   */
  static List<byte[]> decryptKwpAll(TokenKeyWrap mechanisms, Session s, long kek, List<byte[]> wrapped)
      throws Pkcs11Exception, IntegrityCheckException {
    if (mechanisms.kwpMechanismUnwrap() == 0) {
      if (!mechanisms.offersEcb()) {
        throw mechanisms.kwpRefusal("unwrap");
      }
      for (int k = 0; k < wrapped.size(); k++) {
        if (!KeyWrapPadded.isValidCiphertextLength(wrapped.get(k).length)) {
          throw new IntegrityCheckException(k);
        }
      }
      try {
        return KeyWrapPaddedLanes.unwrapAll(new TokenAesEcb(s, kek, false), KeyWrapPadded.AIV_CONSTANT, wrapped);
      } catch (TokenAesEcb.TokenFailure e) {
        throw e.getCause();
      }
    }
    byte[][] out = new byte[wrapped.size()][];
    try {
      for (int k = 0; k < out.length; k++) {
        try {
          out[k] = decryptKwp(mechanisms, s, kek, wrapped.get(k));
        } catch (WrapIntegrityException e) {
          throw new IntegrityCheckException(k);
        }
      }
    } catch (IntegrityCheckException | Pkcs11Exception | RuntimeException e) {
      for (byte[] o : out) {
        if (o != null) {
          Arrays.fill(o, (byte) 0);
        }
      }
      throw e;
    }
    return Arrays.asList(out);
  }

  /**
   * Unwraps with the module's mechanism. Modules report a failed integrity check differently
   * (SoftHSM2 says {@code CKR_GENERAL_ERROR}); a vague failure is settled by the RFC computation
   * on the token's AES-ECB when the token offers it.
   */
  private static byte[] nativeOrEcb(TokenKeyWrap mechanisms, Session s, long mech, long kek, byte[] wrapped,
      boolean kwp) throws Pkcs11Exception, WrapIntegrityException {
    try {
      return mechanisms.unwrapBytes(s, mech, kek, wrapped);
    } catch (Pkcs11Exception e) {
      long rv = e.returnValue();
      if ((rv == CKR.GENERAL_ERROR || rv == CKR.FUNCTION_FAILED) && mechanisms.offersEcb()) {
        try {
          return ecbUnwrap(s, kek, wrapped, kwp);
        } catch (Pkcs11Exception ecbFailure) {
          e.addSuppressed(ecbFailure);
          throw e;
        }
      }
      throw e;
    }
  }

  /** engine/kw's unwrap and its constant-time checks, over the token's AES-ECB decryption. */
  private static byte[] ecbUnwrap(Session s, long kek, byte[] wrapped, boolean kwp)
      throws Pkcs11Exception, WrapIntegrityException {
    byte[] work = wrapped.clone();
    try {
      TokenAesEcb aes = new TokenAesEcb(s, kek, false);
      int n = kwp
          ? KeyWrapPadded.unwrapInPlace(aes, KeyWrapPadded.AIV_CONSTANT, work, 0, work.length)
          : KeyWrap.unwrapInPlace(aes, KeyWrap.DEFAULT_IV, work, 0, work.length);
      return Arrays.copyOfRange(work, 8, 8 + n);
    } catch (IntegrityCheckException e) {
      throw new WrapIntegrityException();
    } catch (TokenAesEcb.TokenFailure e) {
      throw e.getCause();
    } finally {
      Arrays.fill(work, (byte) 0);
    }
  }
}

package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rule for the one signature a version may make outside the state table's encrypt column: the
 * proof of possession of a PKCS#10 request (RFC 2986 §4.1). A staged ({@code PRE_ACTIVE}) version
 * needs its certificate before it signs anything else, so it may sign exactly this: a DER
 * CertificationRequestInfo, version 0, whose subjectPKInfo is the version's own public key. Such
 * bytes cannot pass for a JWS input, a TLS handshake or a certificate, so the exception gives no
 * general signing oracle.
 */
final class ProofOfPossession {

  /** The states whose version may sign a request for itself: staged, or signing anyway. */
  static final Set<KeyState> MAY_SIGN_REQUEST = EnumSet.of(KeyState.PRE_ACTIVE, KeyState.ACTIVE, KeyState.ROTATING);

  private ProofOfPossession() {}

  /**
   * @throws KeyUsageException if a version in state {@code st} may not sign a request
   */
  static void checkState(KeyRef version, KeyState st) {
    if (!MAY_SIGN_REQUEST.contains(st)) {
      throw new KeyUsageException(version, st, "key " + version + " is " + st
          + ": only a PRE_ACTIVE, ACTIVE or ROTATING version signs a certification request");
    }
  }

  /**
   * @param info the bytes to be signed
   * @param spki the version's SubjectPublicKeyInfo (DER)
   * @throws IllegalArgumentException if {@code info} is not exactly a CertificationRequestInfo for {@code spki}
   */
  static void checkRequestInfo(KeyRef version, byte[] info, byte[] spki) {
    try {
      int[] outer = header(info, 0);
      if (info[0] != 0x30 || outer[0] + outer[1] != info.length) {
        throw new IllegalArgumentException("not one DER SEQUENCE");
      }
      int p = outer[0];
      int[] ver = header(info, p);
      if (info[p] != 0x02 || ver[1] != 1 || info[ver[0]] != 0) {
        throw new IllegalArgumentException("the version is not 0");
      }
      p = ver[0] + ver[1];
      int[] name = header(info, p);
      if (info[p] != 0x30) {
        throw new IllegalArgumentException("no subject Name");
      }
      p = name[0] + name[1];
      int[] key = header(info, p);
      int end = key[0] + key[1];
      byte[] got = java.util.Arrays.copyOfRange(info, p, end);
      if (!MessageDigest.isEqual(got, spki)) {
        throw new IllegalArgumentException("its subjectPKInfo is not the public key of " + version);
      }
      int[] attrs = header(info, end);
      if ((info[end] & 0xff) != 0xa0 || attrs[0] + attrs[1] != info.length) {
        throw new IllegalArgumentException("no [0] attributes at its end");
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("refused to sign a certification request for " + version
          + ": the bytes are truncated DER", e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("refused")) {
        throw e;
      }
      throw new IllegalArgumentException("refused to sign a certification request for " + version
          + ": the bytes are no PKCS#10 CertificationRequestInfo (" + e.getMessage() + ")", e);
    }
  }

  /** @return {content offset, content length} of the DER TLV at {@code p} (definite lengths only) */
  private static int[] header(byte[] b, int p) {
    int len = b[p + 1] & 0xff;
    int off = p + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 3) {
        throw new IllegalArgumentException("unsupported length form");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[off++] & 0xff);
      }
    }
    if (off + len > b.length) {
      throw new IllegalArgumentException("a length runs past the end");
    }
    return new int[] {off, len};
  }
}

package dev.clavis.provider.jca;

/**
 * The encoding checks the managed verifier makes before the JDK verifier sees a signature, where
 * the JDK is lenient (found with the Wycheproof vectors): SunEC on JDK 17 and 25 takes an ECDSA
 * INTEGER whose leading zero is missing (a negative DER integer read as positive), and SunEC on
 * JDK 17 takes an Ed25519 signature with bytes appended. Either makes signatures malleable: one
 * signature, several accepted encodings.
 */
final class SignatureEncodings {

  private SignatureEncodings() {}

  /**
   * @param jcaName the signature algorithm
   * @param sig the signature as given
   * @return null if the encoding is well formed for {@code jcaName} (or it is not checked here), else why not
   */
  static String malformed(String jcaName, byte[] sig) {
    if (jcaName.endsWith("withECDSA")) {
      return strictEcdsaDer(sig) ? null : "an ECDSA signature must be DER: SEQUENCE of two minimal non-negative INTEGERs";
    }
    if (jcaName.equals("Ed25519")) {
      return sig.length == 64 ? null : "an Ed25519 signature is 64 bytes, got " + sig.length;
    }
    return null; // RSA: SunRsaSign compares the whole encoded message
  }

  /** @return whether {@code sig} is SEQUENCE { INTEGER r, INTEGER s } in DER, nothing after it */
  static boolean strictEcdsaDer(byte[] sig) {
    if (sig.length < 8 || sig[0] != 0x30) {
      return false;
    }
    int[] pos = {1};
    int len = length(sig, pos);
    if (len < 0 || pos[0] + len != sig.length) {
      return false;
    }
    return integer(sig, pos) && integer(sig, pos) && pos[0] == sig.length;
  }

  /** Reads a minimal DER length at pos[0]; -1 if malformed. */
  private static int length(byte[] b, int[] pos) {
    if (pos[0] >= b.length) {
      return -1;
    }
    int first = b[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    if (first != 0x81 || pos[0] >= b.length) {
      return -1; // ECDSA signatures up to P-521 fit in one length byte
    }
    int l = b[pos[0]++] & 0xff;
    return l < 0x80 ? -1 : l;
  }

  /** Reads a minimal non-negative DER INTEGER at pos[0]. */
  private static boolean integer(byte[] b, int[] pos) {
    if (pos[0] >= b.length || b[pos[0]++] != 0x02) {
      return false;
    }
    int len = length(b, pos);
    if (len <= 0 || pos[0] + len > b.length) {
      return false;
    }
    int v = pos[0];
    pos[0] += len;
    if ((b[v] & 0x80) != 0) {
      return false; // negative
    }
    return !(len > 1 && b[v] == 0 && (b[v + 1] & 0x80) == 0); // a leading zero only before a high bit
  }
}

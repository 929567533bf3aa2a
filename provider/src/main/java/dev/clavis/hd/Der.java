package dev.clavis.hd;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A minimal DER writer (ITU-T X.690 §10) for the two fixed structures the HD keys encode: the
 * PKCS#8 {@code PrivateKeyInfo} of an RFC 5915 {@code ECPrivateKey} and the X.509
 * {@code SubjectPublicKeyInfo} of an uncompressed point, both on the named curve secp256k1. The JDK
 * has DER helpers only internally ({@code sun.security.util}), and depending on Bouncy Castle for
 * two structures would make Clavis clash with BC-FIPS or another BC version on the class path.
 *
 * <p>Each method returns one complete TLV (tag, definite length, value); values are copied, so the
 * caller may wipe its inputs. Wiping the outputs that hold a private key is the caller's job.
 */
final class Der {

  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int BIT_STRING = 0x03;
  private static final int OBJECT_IDENTIFIER = 0x06;
  private static final int CONTEXT_CONSTRUCTED = 0xA0;

  private Der() {}

  /** A SEQUENCE of the given complete TLVs, in order. */
  static byte[] sequence(byte[]... elements) {
    byte[] content = concat(elements);
    try {
      return tlv(SEQUENCE, content);
    } finally {
      Arrays.fill(content, (byte) 0); // may hold a private key
    }
  }

  /** A non-negative INTEGER below 128 (the version numbers of the structures). */
  static byte[] smallInteger(int value) {
    if (value < 0 || value > 127) {
      throw new IllegalArgumentException("only 0..127 are encoded here, not " + value);
    }
    return new byte[] {INTEGER, 1, (byte) value};
  }

  /** An OCTET STRING holding a copy of content. */
  static byte[] octetString(byte[] content) {
    return tlv(OCTET_STRING, content);
  }

  /** A BIT STRING of whole bytes (no unused bits). */
  static byte[] bitString(byte[] content) {
    byte[] v = new byte[content.length + 1];
    System.arraycopy(content, 0, v, 1, content.length);
    return tlv(BIT_STRING, v);
  }

  /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 1.3.132.0.10}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.", -1);
    if (arcs.length < 2) {
      throw new IllegalArgumentException("an OID has at least two arcs: " + dotted);
    }
    long first = Long.parseLong(arcs[0]);
    long second = Long.parseLong(arcs[1]);
    if (first > 2 || (first < 2 && second > 39) || second < 0) {
      throw new IllegalArgumentException("bad first arcs in " + dotted);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, first * 40 + second);
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      if (arc < 0) {
        throw new IllegalArgumentException("negative arc in " + dotted);
      }
      base128(out, arc);
    }
    return tlv(OBJECT_IDENTIFIER, out.toByteArray());
  }

  /** An EXPLICIT context-specific tag [n] around one complete TLV. */
  static byte[] explicit(int n, byte[] inner) {
    if (n < 0 || n > 30) {
      throw new IllegalArgumentException("only low tag numbers are encoded here, not " + n);
    }
    return tlv(CONTEXT_CONSTRUCTED | n, inner);
  }

  private static void base128(ByteArrayOutputStream out, long v) {
    int groups = 1;
    for (long t = v >>> 7; t != 0; t >>>= 7) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (int) (v >>> (7 * g)) & 0x7F;
      out.write(g == 0 ? b : b | 0x80);
    }
  }

  /** tag, definite length (short form below 128, else long form with minimal length octets), value. */
  private static byte[] tlv(int tag, byte[] value) {
    int len = value.length;
    int lengthOctets = len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : len < 0x1000000 ? 3 : 4;
    byte[] out = new byte[2 + lengthOctets + len];
    out[0] = (byte) tag;
    if (lengthOctets == 0) {
      out[1] = (byte) len;
    } else {
      out[1] = (byte) (0x80 | lengthOctets);
      for (int i = 0; i < lengthOctets; i++) {
        out[2 + i] = (byte) (len >>> (8 * (lengthOctets - 1 - i)));
      }
    }
    System.arraycopy(value, 0, out, 2 + lengthOctets, len);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}

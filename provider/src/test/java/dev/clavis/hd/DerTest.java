package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.junit.jupiter.api.Test;

/** The DER writer against Bouncy Castle's, including the long length forms. */
class DerTest {

  @Test
  void oid_matchesBouncyCastle() throws Exception {
    for (String oid : new String[] {
        "1.3.132.0.10", "1.2.840.10045.2.1", "2.16.840.1.101.3.4.1.45", "0.9.2342.19200300.100.1.1",
        "2.999.1", "1.2.3.4294967296.128.16383.16384"}) {
      assertArrayEquals(new ASN1ObjectIdentifier(oid).getEncoded("DER"), Der.oid(oid), oid);
    }
  }

  @Test
  void oid_malformed_throws() {
    assertThrows(IllegalArgumentException.class, () -> Der.oid("1"));
    assertThrows(IllegalArgumentException.class, () -> Der.oid("3.1"));
    assertThrows(IllegalArgumentException.class, () -> Der.oid("1.40"));
    assertThrows(IllegalArgumentException.class, () -> Der.oid("1.2.-3"));
    assertThrows(IllegalArgumentException.class, () -> Der.oid("1..2"));
  }

  @Test
  void octetAndBitStrings_everyLengthForm_matchBouncyCastle() throws Exception {
    SecureRandom rnd = new SecureRandom();
    for (int len : new int[] {0, 1, 127, 128, 255, 256, 65535, 65536, 70000}) {
      byte[] v = new byte[len];
      rnd.nextBytes(v);
      assertArrayEquals(new DEROctetString(v).getEncoded("DER"), Der.octetString(v), "octets " + len);
      assertArrayEquals(new DERBitString(v).getEncoded("DER"), Der.bitString(v), "bits " + len);
    }
  }

  @Test
  void sequenceIntegerExplicit_matchBouncyCastle() throws Exception {
    byte[] bc = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new ASN1Integer(0), new ASN1Integer(127),
        new DERTaggedObject(true, 0, new ASN1ObjectIdentifier("1.3.132.0.10")),
        new DERTaggedObject(true, 1, new DEROctetString(new byte[200]))
    }).getEncoded("DER");
    byte[] ours = Der.sequence(Der.smallInteger(0), Der.smallInteger(127),
        Der.explicit(0, Der.oid("1.3.132.0.10")), Der.explicit(1, Der.octetString(new byte[200])));
    assertArrayEquals(bc, ours);
    assertThrows(IllegalArgumentException.class, () -> Der.smallInteger(128));
    assertThrows(IllegalArgumentException.class, () -> Der.explicit(31, new byte[2]));
  }
}

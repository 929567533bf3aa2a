package dev.clavis.conformance.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.engine.hd.Secp256k1Ecdsa;
import dev.clavis.engine.hd.Secp256k1Verifier;
import dev.clavis.testkit.Json;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * Every case of Wycheproof {@code ecdsa_secp256k1_sha256_test.json} through Clavis's own
 * secp256k1 verifier ({@link Secp256k1Verifier}; the JDK has no secp256k1): valid signatures
 * verify, invalid ones are rejected, by {@code false} or (malformed DER) a
 * {@link SignatureException}, nothing else. The file holds no private keys; signing is checked
 * on random keys and messages against Bouncy Castle, both ways.
 */
class WycheproofSecp256k1Test {

  private static final HexFormat HEX = HexFormat.of();
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final ECNamedCurveParameterSpec K1 = ECNamedCurveTable.getParameterSpec("secp256k1");

  private static byte[] sha256(byte[] m) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(m);
  }

  @Test
  void everyVector_throughClavisSecp256k1Verifier_validVerifies_invalidIsRejected() throws Exception {
    Map<String, Object> root = Json.object(Json.resource("/vectors/wycheproof-sig/ecdsa_secp256k1_sha256_test.json"));
    Map<String, Integer> expected = new TreeMap<>();
    Map<String, Integer> accepted = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    int malformed = 0;
    for (Object g : Json.array(root.get("testGroups"))) {
      Map<String, Object> key = Json.object(Json.object(g).get("publicKey"));
      Secp256k1Verifier v = Secp256k1Verifier.of(new BigInteger((String) key.get("wx"), 16),
          new BigInteger((String) key.get("wy"), 16));
      for (Object t : Json.array(Json.object(g).get("tests"))) {
        Map<String, Object> tc = Json.object(t);
        String result = (String) tc.get("result");
        String what = "tcId " + tc.get("tcId") + " (" + result + " " + tc.get("flags") + ")";
        boolean ok;
        try {
          ok = v.verify(sha256(HEX.parseHex((String) tc.get("msg"))), HEX.parseHex((String) tc.get("sig")));
        } catch (SignatureException e) {
          ok = false;
          malformed++;
        }
        cases++;
        expected.merge(result, 1, Integer::sum);
        if (ok) {
          accepted.merge(result, 1, Integer::sum);
        }
        if (result.equals("valid") != ok && !result.equals("acceptable")) {
          wrong.add(what + (ok ? ": accepted" : ": rejected"));
        }
      }
    }
    assertEquals(List.of(), wrong, "vectors Clavis's secp256k1 verifier got wrong");
    assertEquals(((Long) root.get("numberOfTests")).intValue(), cases, "every vector of the file ran");
    assertEquals(expected.get("valid"), accepted.get("valid"));
    assertEquals(null, accepted.get("invalid"));
    System.out.println("Wycheproof ecdsa_secp256k1_sha256_test.json through Secp256k1Verifier: " + cases + " cases "
        + expected + ", accepted " + accepted + ", " + malformed + " rejected as malformed DER");
  }

  @Test
  void randomKeysAndMessages_clavisSignaturesVerifyInBouncyCastle_andBouncyCastleSignaturesInClavis() throws Exception {
    SecureRandom rnd = new SecureRandom();
    KeyFactory kf = KeyFactory.getInstance("EC", BC);
    Secp256k1Ecdsa signer = new Secp256k1Ecdsa();
    for (int i = 0; i < 40; i++) {
      BigInteger d = new BigInteger(256, rnd).mod(K1.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ECPoint q = K1.getG().multiply(d).normalize();
      Secp256k1Verifier clavis = Secp256k1Verifier.of(q.getAffineXCoord().toBigInteger(),
          q.getAffineYCoord().toBigInteger());
      byte[] msg = new byte[rnd.nextInt(200)];
      rnd.nextBytes(msg);
      byte[] dBytes = new byte[32];
      byte[] mag = d.toByteArray();
      int n = Math.min(mag.length, 32);
      System.arraycopy(mag, mag.length - n, dBytes, 32 - n, n);

      byte[] ours = signer.signDer(dBytes, sha256(msg));
      Signature bcVerify = Signature.getInstance("SHA256withECDSA", BC);
      bcVerify.initVerify(kf.generatePublic(new ECPublicKeySpec(q, K1)));
      bcVerify.update(msg);
      assertTrue(bcVerify.verify(ours), "Bouncy Castle verifies Clavis's signature");
      assertTrue(clavis.verify(sha256(msg), ours), "Clavis verifies its own signature");

      Signature bcSign = Signature.getInstance("SHA256withECDSA", BC);
      bcSign.initSign(kf.generatePrivate(new ECPrivateKeySpec(d, K1)));
      bcSign.update(msg);
      byte[] theirs = bcSign.sign(); // random k, high S half the time: SEC 1 accepts it
      assertTrue(clavis.verify(sha256(msg), theirs), "Clavis verifies Bouncy Castle's signature");

      byte[] other = msg.clone();
      other = java.util.Arrays.copyOf(other, other.length + 1);
      assertFalse(clavis.verify(sha256(other), theirs), "another message does not verify");
      byte[] flipped = ours.clone();
      flipped[flipped.length - 1] ^= 1;
      assertFalse(clavis.verify(sha256(msg), flipped), "a changed S does not verify");
    }
  }
}

package dev.clavis.conformance.kw;

import static dev.clavis.conformance.kw.KwProviders.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.testkit.Json;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of Wycheproof {@code aes_wrap_test.json} (KW) and {@code aes_kwp_test.json} (KWP):
 * valid ones wrap to {@code ct} and unwrap back, invalid ones are refused, and the three
 * "acceptable" 8-byte KW keys (flag {@code ShortKey}) are refused as SunJCE does: RFC 3394 wraps
 * at least two semiblocks. Bouncy Castle runs the suite too, except the {@code ShortKey} cases,
 * which it wrongly accepts.
 *
 * <p>Each case runs through both JCA faces, {@code wrap}/{@code unwrap} and
 * {@code doFinal} in ENCRYPT/DECRYPT mode.
 */
class WycheproofKeyWrapTest {

  record Case(String file, long tcId, String result, List<Object> flags, String key, String msg, String ct) {
    boolean padded() {
      return file.contains("kwp");
    }

    boolean shortKey() {
      return flags.contains("ShortKey");
    }

    @Override
    public String toString() {
      return file + " tcId " + tcId + " (" + result + " " + flags + ")";
    }
  }

  static List<Case> load(String file) {
    Map<String, Object> root = Json.object(Json.parse(KwProviders.resource("wycheproof/" + file)));
    List<Case> cases = new ArrayList<>();
    for (Object g : Json.array(root.get("testGroups"))) {
      for (Object t : Json.array(Json.object(g).get("tests"))) {
        Map<String, Object> m = Json.object(t);
        cases.add(new Case(file, (Long) m.get("tcId"), (String) m.get("result"), Json.array(m.get("flags")),
            (String) m.get("key"), (String) m.get("msg"), (String) m.get("ct")));
      }
    }
    assertEquals(((Long) root.get("numberOfTests")).intValue(), cases.size(), file + ": numberOfTests");
    return cases;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String file : new String[] {"aes_wrap_test.json", "aes_kwp_test.json"}) {
      for (Case c : load(file)) {
        for (KwProviders p : KwProviders.values()) {
          if (p == KwProviders.BC && c.shortKey()) {
            continue; // BC accepts 8-byte KW keys (tcIds 12, 13, 54, 55, 109, 110): no oracle there
          }
          for (KwOps op : KwOps.values()) {
            if (p == KwProviders.SUNJCE && op == KwOps.BYTES && c.ct().length() < 16) {
              // JDK bug: SunJCE's doFinal sizes its output as ct.length - 8 and throws
              // NegativeArraySizeException for ciphertexts under 8 bytes (its unwrap is fine).
              continue;
            }
            all.add(Arguments.of(c, p, op));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} [{1}, {2}]")
  @MethodSource("cases")
  void wycheproofCase_behavesAsItsResultSays(Case c, KwProviders p, KwOps op) throws Exception {
    byte[] kek = hex(c.key());
    switch (c.result()) {
      case "valid":
        assertEquals(c.ct(), KwProviders.HEX.formatHex(op.wrap(p, c.padded(), kek, hex(c.msg()))), c + " wrap");
        assertArrayEquals(hex(c.msg()), op.unwrap(p, c.padded(), kek, hex(c.ct())), c + " unwrap");
        break;
      case "invalid":
      case "acceptable": // only the ShortKey cases; refused like SunJCE
        assertNull(op.refusal(p, c.padded(), kek, hex(c.ct())), c + " unwrap must be refused");
        if (c.shortKey() || (c.ct().isEmpty() && !c.msg().isEmpty())) {
          // Nor may the message be wrapped: an 8-byte key, or a length KW does not take.
          assertWrapRefused(c, p, op, kek);
        }
        break;
      default:
        fail(c + ": unknown result " + c.result());
    }
  }

  private static void assertWrapRefused(Case c, KwProviders p, KwOps op, byte[] kek) {
    try {
      byte[] out = op.wrap(p, c.padded(), kek, hex(c.msg()));
      fail(c + ": wrapping a " + c.msg().length() / 2 + "-byte message gave " + out.length + " bytes");
    } catch (IllegalBlockSizeException e) {
      // the JCA exception for a length the algorithm does not take
    } catch (GeneralSecurityException | RuntimeException e) {
      if (p != KwProviders.BC) {
        fail(c + ": expected IllegalBlockSizeException, got " + e);
      }
    }
  }

  @Test
  void acceptableCases_areExactlyTheThreeShortKeys() {
    List<Long> acceptable = new ArrayList<>();
    for (Case c : load("aes_wrap_test.json")) {
      if (c.result().equals("acceptable")) {
        assertEquals(List.of("ShortKey"), c.flags(), c.toString());
        assertEquals(8, c.msg().length() / 2, c.toString());
        acceptable.add(c.tcId());
      }
    }
    assertEquals(3, acceptable.size(), "acceptable tcIds " + acceptable);
  }

  @Test
  void shortKey_clavisRefusesToWrapEightBytes_withTheLengthMessage() throws Exception {
    Cipher c = KwProviders.CLAVIS.cipher(false, Cipher.WRAP_MODE, new byte[16]);
    IllegalBlockSizeException e =
        assertThrows(IllegalBlockSizeException.class, () -> c.wrap(new SecretKeySpec(new byte[8], "AES")));
    assertEquals(
        "AES/KW/NoPadding wraps a multiple of 8 bytes, at least 16 (RFC 3394 §2), got 8 bytes;"
            + " use AES/KWP/NoPadding for other lengths",
        e.getMessage());
  }
}

package dev.clavis.conformance.kw;

import static dev.clavis.conformance.kw.KwProviders.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NIST CAVP SP 800-38F KW and KWP vectors (8 files × 500 cases): AE files wrap P to C; AD
 * files unwrap C to P, or refuse it where the file says FAIL (100 per AD file). Every case of a
 * file runs in one invocation per provider and face; each failure names its file, section and
 * COUNT.
 */
class NistKeyWrapTest {

  record Case(String id, byte[] k, byte[] p, byte[] c, boolean fail) {}

  static final String[] FILES = {
    "KW_AE_128.txt", "KW_AE_256.txt", "KW_AD_128.txt", "KW_AD_256.txt",
    "KWP_AE_128.txt", "KWP_AE_256.txt", "KWP_AD_128.txt", "KWP_AD_256.txt"
  };

  /** Parses the CAVP response format: [PLAINTEXT LENGTH = n] sections of COUNT/K/P/C[/FAIL]. */
  static List<Case> parse(String file) {
    List<Case> cases = new ArrayList<>();
    String section = "?";
    String count = null;
    byte[] k = null;
    byte[] p = null;
    byte[] c = null;
    boolean fail = false;
    for (String raw : KwProviders.resource("nist-kw/" + file).split("\n")) {
      String line = raw.strip();
      if (line.startsWith("[")) {
        section = line;
      } else if (line.startsWith("COUNT = ")) {
        count = line.substring(8);
      } else if (line.startsWith("K = ")) {
        k = hex(line.substring(4));
      } else if (line.startsWith("P = ")) {
        p = hex(line.substring(4));
      } else if (line.startsWith("C = ")) {
        c = hex(line.substring(4));
      } else if (line.equals("FAIL")) {
        fail = true;
      } else if (line.isEmpty() && count != null && k != null && c != null) {
        cases.add(new Case(file + " " + section + " COUNT=" + count, k, p, c, fail));
        count = null;
        k = null;
        p = null;
        c = null;
        fail = false;
      }
    }
    if (count != null && k != null && c != null) {
      cases.add(new Case(file + " " + section + " COUNT=" + count, k, p, c, fail));
    }
    return cases;
  }

  static Stream<Arguments> files() {
    List<Arguments> all = new ArrayList<>();
    for (String f : FILES) {
      for (KwProviders p : KwProviders.values()) {
        for (KwOps op : KwOps.values()) {
          all.add(Arguments.of(f, p, op));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} [{1}, {2}]")
  @MethodSource("files")
  void nistFile_everyCaseBehavesAsTheFileSays(String file, KwProviders provider, KwOps op) throws Exception {
    List<Case> cases = parse(file);
    assertEquals(500, cases.size(), file + ": case count");
    boolean padded = file.startsWith("KWP");
    boolean decrypt = file.contains("_AD_");
    long fails = cases.stream().filter(Case::fail).count();
    assertEquals(decrypt ? 100 : 0, fails, file + ": FAIL count");

    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      try {
        if (!decrypt) {
          byte[] out = op.wrap(provider, padded, c.k(), c.p());
          if (!Arrays.equals(c.c(), out)) {
            problems.add(c.id() + ": wrong ciphertext");
          }
        } else if (c.fail()) {
          String refusal = op.refusal(provider, padded, c.k(), c.c());
          if (refusal != null) {
            problems.add(c.id() + ": FAIL case " + refusal);
          }
        } else if (!Arrays.equals(c.p(), op.unwrap(provider, padded, c.k(), c.c()))) {
          problems.add(c.id() + ": wrong plaintext");
        }
      } catch (Exception e) {
        problems.add(c.id() + ": " + e);
      }
    }
    assertTrue(problems.isEmpty(), problems.size() + " of 500 failed: " + problems.subList(0, Math.min(10, problems.size())));
  }
}

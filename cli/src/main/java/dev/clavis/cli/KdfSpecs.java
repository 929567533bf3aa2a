package dev.clavis.cli;

import dev.clavis.keyring.KdfParameters;
import java.util.Locale;

/**
 * Reads {@code --kdf}: {@code argon2id} (t=3, m=64 MiB, p=4), {@code argon2id:t=2,m=131072,p=4}
 * (m in KiB), {@code pbkdf2} (600,000 iterations) or {@code pbkdf2:i=1000000}.
 */
final class KdfSpecs {

  private KdfSpecs() {}

  /** @throws CliException a usage error for an unknown function, setting or value */
  static KdfParameters parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    String fn = s;
    String settings = "";
    int colon = s.indexOf(':');
    if (colon >= 0) {
      fn = s.substring(0, colon);
      settings = s.substring(colon + 1);
    }
    try {
      if (fn.equals("argon2id")) {
        KdfParameters d = KdfParameters.defaults();
        int t = d.iterations();
        int m = d.memoryKiB();
        int p = d.parallelism();
        for (String kv : settings.isEmpty() ? new String[0] : settings.split(",")) {
          String[] x = kv.split("=", 2);
          int v = number(spec, x);
          switch (x[0].trim()) {
            case "t": t = v; break;
            case "m": m = v; break;
            case "p": p = v; break;
            default: throw bad(spec);
          }
        }
        return KdfParameters.argon2id(t, m, p);
      }
      if (fn.equals("pbkdf2")) {
        if (settings.isEmpty()) {
          return KdfParameters.pbkdf2();
        }
        String[] x = settings.split("=", 2);
        if (!x[0].trim().equals("i")) {
          throw bad(spec);
        }
        return KdfParameters.pbkdf2(number(spec, x));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--kdf " + spec + ": " + e.getMessage());
    }
    throw bad(spec);
  }

  private static int number(String spec, String[] kv) {
    if (kv.length != 2) {
      throw bad(spec);
    }
    try {
      return Integer.parseInt(kv[1].trim());
    } catch (NumberFormatException e) {
      throw bad(spec);
    }
  }

  private static CliException bad(String spec) {
    return CliException.usage("--kdf takes argon2id, argon2id:t=3,m=65536,p=4 (m in KiB), pbkdf2 or pbkdf2:i=600000; got '" + spec + "'");
  }
}

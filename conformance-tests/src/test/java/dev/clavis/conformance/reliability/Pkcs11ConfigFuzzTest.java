package dev.clavis.conformance.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Hostile input (issue 6 §4): the PKCS#11 configuration parser takes any file content and answers
 * with a {@link Pkcs11Config} or a {@link Pkcs11ConfigException}, nothing else; a literal or
 * {@code env:} PIN resolves or fails the same way. ({@code file:} PINs are not resolved here: the
 * fuzzer would name arbitrary files of this machine.)
 */
class Pkcs11ConfigFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void parse_anyFile_onlyPkcs11ConfigException(byte[] data) throws IOException {
    Path f = Files.createTempFile("clavis-fuzz-", ".cfg");
    try {
      Files.write(f, data);
      Pkcs11Config c = Pkcs11Config.parse(f);
      String shown = c.toString();
      if (!shown.contains(", pin=file:")) {
        try {
          char[] pin = c.resolvePin();
          // A literal PIN must never show in toString (it prints pin=***).
          if (shown.contains(", pin=***") && pin.length >= 6 && shown.contains(new String(pin))) {
            throw new AssertionError("toString shows the PIN");
          }
          Arrays.fill(pin, '\0');
        } catch (Pkcs11ConfigException expected) {
          // no PIN source, or an unset variable
        }
      }
    } catch (Pkcs11ConfigException expected) {
      // refused, naming file and line
    } finally {
      Files.deleteIfExists(f);
    }
  }
}

package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The file store does not depend on the PKCS#11 binding: a token root reaches it only as a
 * {@link MasterKeyProtector}. Reads the constant pools of the compiled classes of
 * {@code dev.clavis.keyring.file}, where every class a class refers to is named.
 */
class FilePackageDependencyTest {

  private static final byte[] PKCS11 = "dev/clavis/pkcs11/".getBytes(StandardCharsets.US_ASCII);

  @Test
  void keyringFile_doesNotReferenceThePkcs11Binding() throws Exception {
    Path dir = Path.of(FileKeyBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("dev/clavis/keyring/file");
    List<Path> classes;
    try (Stream<Path> s = Files.list(dir)) {
      classes = s.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
    }
    assertTrue(classes.size() > 5, "no classes found in " + dir);
    List<String> offenders = classes.stream().filter(FilePackageDependencyTest::refersToPkcs11)
        .map(p -> p.getFileName().toString()).collect(Collectors.toList());
    assertEquals(List.of(), offenders, "classes of dev.clavis.keyring.file that refer to dev.clavis.pkcs11");
  }

  private static boolean refersToPkcs11(Path classFile) {
    byte[] b;
    try {
      b = Files.readAllBytes(classFile);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + classFile, e);
    }
    outer:
    for (int i = 0; i + PKCS11.length <= b.length; i++) {
      for (int j = 0; j < PKCS11.length; j++) {
        if (b[i + j] != PKCS11[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

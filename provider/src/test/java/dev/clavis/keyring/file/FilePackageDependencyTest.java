package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testing.ClassDependencies;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The file store does not depend on the PKCS#11 binding: a token root reaches it only as a
 * {@link MasterKeyProtector}. Reads the constant pools of the compiled classes of
 * {@code dev.clavis.keyring.file}, where every class a class refers to is named (see
 * {@link ClassDependencies}; the whole layering is in {@code dev.clavis.provider.PackageDependenciesTest}).
 */
class FilePackageDependencyTest {

  @Test
  void keyringFile_doesNotReferenceThePkcs11Binding() {
    Map<String, Set<String>> classes =
        ClassDependencies.of(ClassDependencies.classesRoot(FileKeyBackend.class), "dev.clavis.keyring.file");
    assertTrue(classes.size() > 5, "no classes found: " + classes.keySet());
    Map<String, Set<String>> offenders = new TreeMap<>();
    classes.forEach((c, refs) -> {
      if (refs.stream().anyMatch(r -> r.startsWith("dev.clavis.pkcs11."))) {
        offenders.put(c, refs);
      }
    });
    assertEquals(Map.of(), offenders, "classes of dev.clavis.keyring.file that refer to dev.clavis.pkcs11");
  }
}

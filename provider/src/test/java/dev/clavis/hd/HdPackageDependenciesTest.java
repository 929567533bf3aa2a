package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testing.ClassDependencies;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.clavis.spec} depends on {@code dev.clavis.hd} ({@code HDKeySpec} names a
 * {@link Network} and takes a {@link Mnemonic}); the reverse would make the two a cycle. The class
 * files are read as they are: a type referenced anywhere in code sits in the constant pool by its
 * internal name (see {@link ClassDependencies}).
 */
class HdPackageDependenciesTest {

  @Test
  void hdClasses_referenceNoClassOfSpec_soTheTwoPackagesFormNoCycle() {
    Map<String, Set<String>> classes =
        ClassDependencies.of(ClassDependencies.classesRoot(Network.class), "dev.clavis.hd");
    assertTrue(classes.size() >= 6, "found the hd classes: " + classes.keySet());
    Map<String, Set<String>> offenders = new TreeMap<>();
    classes.forEach((c, refs) -> {
      if (refs.stream().anyMatch(r -> r.startsWith("dev.clavis.spec."))) {
        offenders.put(c, refs);
      }
    });
    assertEquals(Map.of(), offenders, "classes of dev.clavis.hd that reference dev.clavis.spec");
  }
}

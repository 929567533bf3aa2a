package dev.clavis.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.Keyrings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reader the layering tests rely on finds what it must, so their green means something. */
class ClassDependenciesTest {

  @Test
  void cycles_findsEveryComponentOfMoreThanOnePackage_andNoneInAnAcyclicGraph() {
    Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
        "d", Set.of("a", "e"), "e", Set.of("d"), "f", Set.of("a"));
    assertEquals(Set.of(Set.of("a", "b", "c"), Set.of("d", "e")), Set.copyOf(ClassDependencies.cycles(g)));
    assertEquals(List.of(), ClassDependencies.cycles(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of())));
  }

  @Test
  void of_readsTypesFromCodeAndSignatures_butNotStringLiterals() {
    Map<String, Set<String>> c = ClassDependencies.of(ClassDependencies.classesRoot(Keyrings.class), "dev.clavis");
    // Keyrings constructs a KeyringEngine in code; Bip39 names "/dev/clavis/hd/english.txt" only as a resource.
    assertTrue(c.get("dev.clavis.keyring.Keyrings").contains("dev.clavis.keyring.lifecycle.KeyringEngine"),
        String.valueOf(c.get("dev.clavis.keyring.Keyrings")));
    assertTrue(c.get("dev.clavis.engine.hd.Bip39").stream().noneMatch(r -> r.startsWith("dev.clavis.hd.")),
        String.valueOf(c.get("dev.clavis.engine.hd.Bip39")));
  }
}

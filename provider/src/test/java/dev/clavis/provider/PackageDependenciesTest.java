package dev.clavis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testing.ClassDependencies;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the provider's packages, read from the constant pools of the compiled main
 * classes (see {@link ClassDependencies}). From the bottom up:
 *
 * <ul>
 *   <li>{@code engine.*} (algorithms: key wrap, Argon2, secp256k1/BIP-32) depend on no other Clavis package;
 *   <li>{@code hd} and {@code spec} (public HD and parameter types) on the engines only, {@code spec} on {@code hd};
 *   <li>{@code keyring} (the public keyring API) and {@code keyring.spi} (the storage SPI, over the public
 *       types only);
 *   <li>{@code keyring.lifecycle} (the lifecycle over a backend), {@code keyring.file}, then {@code keyring.pkcs11};
 *   <li>{@code provider.jca} and {@code provider} on top, depended on by nothing below.
 * </ul>
 *
 * <p>One cycle is accepted, by design: {@code dev.clavis.keyring.Keyrings}, the single entry point that opens a
 * keyring, lives in the API package and constructs the implementations ({@code KeyringEngine}, the file and token
 * backends), while those implement the API's types. It is one factory class; no other class of {@code keyring}
 * refers to an implementation package, and without its edges the package graph has no cycle at all. Moving the
 * factory to a package of its own would rename a public entry point used by the README, the CLI and the tests for
 * no change in what depends on what.
 */
class PackageDependenciesTest {

  private static final String KEYRING = "dev.clavis.keyring";
  /** The factory whose edges to the implementation packages are the one accepted cycle. */
  private static final String FACTORY = "dev.clavis.keyring.Keyrings";

  private static Map<String, Set<String>> classes;

  @BeforeAll
  static void read() {
    classes = ClassDependencies.of(ClassDependencies.classesRoot(ClavisProvider.class), "dev.clavis");
    assertTrue(classes.size() > 100, "read the provider's classes: " + classes.size());
  }

  @Test
  void algorithmEngines_dependOnNoOtherClavisPackage() {
    assertNoReference(pkg -> pkg.startsWith("dev.clavis.engine."), ref -> !packageOf(ref).startsWith("dev.clavis.engine."));
  }

  @Test
  void keyringStore_dependsOnlyOnThePublicTypesOfKeyring() {
    assertNoReference(in("dev.clavis.keyring.spi"),
        ref -> !packageOf(ref).equals("dev.clavis.keyring.spi")
            && !(packageOf(ref).equals(KEYRING) && isPublic(ref)));
  }

  @Test
  void keyringEngine_dependsOnNeitherTheFileStoreNorTheTokenNorTheProvider() {
    assertNoReference(in("dev.clavis.keyring.lifecycle"), ref -> packageOf(ref).equals("dev.clavis.keyring.file")
        || packageOf(ref).equals("dev.clavis.keyring.pkcs11") || packageOf(ref).startsWith("dev.clavis.pkcs11")
        || packageOf(ref).startsWith("dev.clavis.provider"));
  }

  @Test
  void keyringFile_dependsOnNeitherTheTokenNorThePkcs11BindingNorTheProvider() {
    assertNoReference(in("dev.clavis.keyring.file"), ref -> packageOf(ref).equals("dev.clavis.keyring.pkcs11")
        || packageOf(ref).startsWith("dev.clavis.pkcs11") || packageOf(ref).startsWith("dev.clavis.provider"));
  }

  @Test
  void nothingBelowTheProvider_dependsOnTheProvider() {
    assertNoReference(pkg -> !pkg.startsWith("dev.clavis.provider"), ref -> packageOf(ref).startsWith("dev.clavis.provider"));
  }

  @Test
  void keyringApi_refersToImplementationPackagesOnlyThroughTheFactory() {
    Map<String, Set<String>> offenders = new TreeMap<>();
    classes.forEach((c, refs) -> {
      if (packageOf(c).equals(KEYRING) && !ClassDependencies.topLevel(c).equals(FACTORY)) {
        Set<String> bad = new TreeSet<>();
        for (String r : refs) {
          if (packageOf(r).startsWith(KEYRING + ".")) {
            bad.add(r);
          }
        }
        if (!bad.isEmpty()) {
          offenders.put(c, bad);
        }
      }
    });
    assertEquals(Map.of(), offenders, "classes of " + KEYRING + " other than " + FACTORY + " referring to its subpackages");
  }

  @Test
  void packageGraph_hasNoCycle_butTheOneThroughTheFactory() {
    Map<String, Set<String>> withoutFactory = new TreeMap<>(classes);
    withoutFactory.keySet().removeIf(c -> ClassDependencies.topLevel(c).equals(FACTORY));
    assertEquals(List.of(), ClassDependencies.cycles(ClassDependencies.packageGraph(withoutFactory)),
        "package cycles other than the accepted one through " + FACTORY);
  }

  private static Predicate<String> in(String pkg) {
    return pkg::equals;
  }

  private static void assertNoReference(Predicate<String> fromPackage, Predicate<String> forbidden) {
    Map<String, Set<String>> offenders = new TreeMap<>();
    classes.forEach((c, refs) -> {
      if (fromPackage.test(packageOf(c))) {
        Set<String> bad = new TreeSet<>();
        for (String r : refs) {
          if (forbidden.test(r)) {
            bad.add(r);
          }
        }
        if (!bad.isEmpty()) {
          offenders.put(c, bad);
        }
      }
    });
    assertEquals(Map.of(), offenders, "forbidden references");
  }

  private static String packageOf(String className) {
    return ClassDependencies.packageOf(className);
  }

  private static boolean isPublic(String className) {
    try {
      Class<?> c = Class.forName(className, false, PackageDependenciesTest.class.getClassLoader());
      return Modifier.isPublic(c.getModifiers());
    } catch (ClassNotFoundException e) {
      throw new AssertionError("referenced class not found: " + className, e);
    }
  }
}

package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testing.ClassDependencies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A tripwire for the rule that variable-time arithmetic sees public data only: the variable-time
 * entry points ({@link PublicTweak}, {@code Secp256k1.tweakAddVar} and {@code tweakAddVarBatch}
 * (the name search finds both), {@code SafeGcd.invertVar})
 * are reachable from BIP32 CKDpub alone, never from signing, CKDpriv or the public key of a private
 * key. Read from the compiled main classes: a class that calls a method has its name in its
 * constant pool. A new caller fails this test and must be reviewed (is every input public?)
 * before it is added here.
 */
class VariableTimeCallersTest {

  private static final Path ROOT = ClassDependencies.classesRoot(Secp256k1.class);

  /** The main classes whose constant pool names the given method, declarers included. */
  private static Set<String> classesNaming(String method) throws IOException {
    Set<String> out = new TreeSet<>();
    byte[] needle = method.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        if (contains(Files.readAllBytes(f), needle)) {
          String name = ROOT.relativize(f).toString().replace('/', '.');
          out.add(name.substring(0, name.length() - ".class".length()));
        }
      }
    }
    return out;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void publicTweak_isUsedOnlyBySecp256k1TweakAddVar() {
    Map<String, Set<String>> classes = ClassDependencies.of(ROOT, "dev.clavis");
    Set<String> users = new TreeSet<>();
    classes.forEach((cls, refs) -> {
      if (!cls.startsWith(PublicTweak.class.getName()) && refs.stream().anyMatch(r -> r.startsWith(PublicTweak.class.getName()))) {
        users.add(cls);
      }
    });
    assertEquals(Set.of(Secp256k1.class.getName()), users, "classes that use the variable-time PublicTweak");
  }

  @Test
  void tweakAddVar_isCalledOnlyByCkdPub() throws IOException {
    assertEquals(Set.of(Secp256k1.class.getName(), Bip32Node.class.getName()), classesNaming("tweakAddVar"),
        "tweakAddVar's declarer and its one caller, Bip32Node.childPublic");
  }

  @Test
  void invertVar_isCalledOnlyByPublicTweak() throws IOException {
    Set<String> found = classesNaming("invertVar");
    assertTrue(found.contains(SafeGcd.class.getName()), "the scan reads the classes: " + found);
    assertEquals(Set.of(SafeGcd.class.getName(), PublicTweak.class.getName()), found,
        "invertVar's declarer and its one caller");
  }
}

package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.clavis.spec} depends on {@code dev.clavis.hd} ({@code HDKeySpec} names a
 * {@link Network} and takes a {@link Mnemonic}); the reverse would make the two a cycle. The class
 * files are read as they are: a type referenced anywhere in code sits in the constant pool by its
 * internal name.
 */
class HdPackageDependenciesTest {

  @Test
  void hdClasses_referenceNoClassOfSpec_soTheTwoPackagesFormNoCycle() throws Exception {
    Path classes = Path.of(Network.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path hd = classes.resolve("dev/clavis/hd");
    List<Path> files;
    try (Stream<Path> s = Files.list(hd)) {
      files = s.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertTrue(files.size() >= 6, "found the hd classes under " + hd + ": " + files);
    for (Path f : files) {
      String constants = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertFalse(constants.contains("dev/clavis/spec/"), f.getFileName() + " references dev.clavis.spec");
    }
  }
}

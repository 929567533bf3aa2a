package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on how a store is named and what its files let others read (issue 9, items 8 and 9),
 * each by real processes: the CLI and writer JVMs, started under {@code umask 022}.
 */
class PathAndPermissionAttackTest {

  private static final String PW = StorePathWriter.PASSWORD;
  private static final String WEAK = "argon2id:t=1,m=8,p=1";

  @TempDir Path dir;

  private static AttackProcess.Result ok(AttackProcess.Result r) {
    assertEquals(0, r.exit(), r::toString);
    return r;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<Path> files(Path in) throws Exception {
    try (Stream<Path> s = Files.list(in)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static TreeSet<String> names(Path store) {
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray(), StorePathWriter.FAST)) {
      return k.list().stream().map(KeyInfo::name).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void symlinkedStore_writtenThroughTheLink_staysOneStore_withLogAndLockBesideTheRealFile() throws Exception {
    Files.createDirectory(dir.resolve("real"));
    ok(AttackProcess.cli(dir, PW, "init", "--store", "real/keys.store", "--kdf", WEAK, "--allow-weak-kdf"));
    Path link = Files.createSymbolicLink(dir.resolve("keys-link"), Path.of("real/keys.store"));

    ok(AttackProcess.cli(dir, PW, "create", "through-link", "--store", "keys-link"));
    ok(AttackProcess.cli(dir, PW, "create", "through-real", "--store", "real/keys.store"));
    ok(AttackProcess.cli(dir, PW, "rotate", "through-link", "--store", "keys-link"));

    assertTrue(Files.isSymbolicLink(link), "the first write must not replace the link by a second store");
    TreeSet<String> want = new TreeSet<>(List.of("through-link", "through-real"));
    assertEquals(want, names(link));
    assertEquals(want, names(dir.resolve("real/keys.store")));
    for (String sibling : new String[] {"keys-link.audit", "keys-link.lock"}) {
      assertFalse(Files.exists(dir.resolve(sibling), java.nio.file.LinkOption.NOFOLLOW_LINKS),
          sibling + ": the audit log and the lock sit beside the real file");
    }
    assertTrue(Files.exists(dir.resolve("real/keys.store.audit")));
    ok(AttackProcess.cli(dir, PW, "audit", "--verify", "--store", "keys-link"));
    ok(AttackProcess.cli(dir, PW, "audit", "--verify", "--store", "real/keys.store"));
  }

  @Test
  void threeProcessesThroughALinkAndDotDotPaths_shareOneLock_andLoseNoWrite() throws Exception {
    Path d = Files.createDirectory(dir.resolve("d"));
    Path other = Files.createDirectory(dir.resolve("other"));
    Keyrings.openFile(d.resolve("s"), PW.toCharArray(), StorePathWriter.FAST).close();
    Path link = Files.createSymbolicLink(dir.resolve("l"), d.resolve("s"));
    int n = 15;
    String[][] writers = {
        {dir.toString(), "d/s", "a"},           // plain relative
        {other.toString(), "../l", "b"},        // through the link, with ..
        {d.toString(), "../d/./s", "c"}};       // .. and . into the same file
    List<Process> ps = new ArrayList<>();
    for (String[] w : writers) {
      ps.add(AttackProcess.builder(Path.of(w[0]), Map.of(), List.of(), StorePathWriter.class.getName(), w[1], w[2],
          String.valueOf(n)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }
    for (Process p : ps) {
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "a writer hung");
      assertEquals(0, p.exitValue(), "a writer failed");
    }
    assertTrue(Files.isSymbolicLink(link), "still one store behind the link");
    TreeSet<String> all = names(d.resolve("s"));
    assertEquals(3 * n, all.size(), "every acknowledged create survives: " + all);
    assertEquals(all, names(link));
  }

  @Test
  void everyFileMadeByCliInitCreateRotate_isOwnerOnly_underUmask022() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    // the child shell's umask really is 022: a file made without Clavis is world-readable
    ok(AttackProcess.run(new ProcessBuilder("sh", "-c", "umask 022; : > probe").directory(dir.toFile()), 30));
    assertEquals("rw-r--r--", mode(dir.resolve("probe")));
    Files.delete(dir.resolve("probe"));

    ok(AttackProcess.cli(dir, PW, "init", "--store", "p.store", "--kdf", WEAK, "--allow-weak-kdf"));
    ok(AttackProcess.cli(dir, PW, "create", "k", "--store", "p.store"));
    ok(AttackProcess.cli(dir, PW, "rotate", "k", "--store", "p.store"));
    List<String> made = new ArrayList<>();
    for (Path f : files(dir)) {
      made.add(f.getFileName().toString());
      assertEquals("rw-------", mode(f), f.getFileName() + " must be readable by its owner only");
    }
    // the commit mark beside the log (RollbackGuard) is one of them, owner-only like the rest
    assertEquals(List.of("p.store", "p.store.audit", "p.store.audit.head", "p.store.lock"), made);

    // a writer that dies between write and rename leaves its temporary file: owner-only too
    AttackProcess.Result died = AttackProcess.run(AttackProcess.builder(dir, Map.of("CLAVIS_PASSWORD", PW),
        List.of("-Dclavis.store.fault=after-write"), "dev.clavis.cli.Main", "create", "k2", "--store", "p.store"), 120);
    assertEquals(86, died.exit(), died::toString);
    List<Path> tmp = files(dir).stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    assertEquals(1, tmp.size(), "the dead writer's temporary file: " + files(dir));
    assertEquals("rw-------", mode(tmp.get(0)));
    // the next open removes it
    ok(AttackProcess.cli(dir, PW, "list", "--store", "p.store"));
    assertEquals(List.of(), files(dir).stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
  }
}

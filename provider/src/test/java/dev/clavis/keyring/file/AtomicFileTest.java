package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.OwnerOnlyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

  @TempDir Path dir;

  @AfterEach
  void clearHook() {
    AtomicFile.faultHook = null;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private List<Path> temporaries(Path in) throws Exception {
    try (Stream<Path> s = Files.list(in)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void realPath_throughSymlink_isTheTarget_andReplaceKeepsTheLink() throws Exception {
    Path realDir = Files.createDirectory(dir.resolve("real"));
    Path target = Files.write(realDir.resolve("store"), new byte[] {1});
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    AtomicFile f = AtomicFile.of(link, "the test file");
    assertEquals(target.toRealPath(), f.path());
    assertEquals(realDir.toRealPath().resolve("store.lock"), f.sibling(".lock"));
    try (AtomicFile.Lock l = f.lock()) {
      f.replace(new byte[] {2, 3}, () -> { });
    }
    assertTrue(Files.isSymbolicLink(link), "the link must stay a link, not become a second store");
    assertArrayEquals(new byte[] {2, 3}, Files.readAllBytes(target));
    assertTrue(Files.exists(realDir.resolve("store.lock")), "the lock sits beside the real file");
    assertFalse(Files.exists(dir.resolve("link.lock")));
  }

  @Test
  void realPath_ofNewFileBehindDanglingLink_isWhereTheLinkPoints() throws Exception {
    Path realDir = Files.createDirectory(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), realDir.resolve("later"));
    AtomicFile f = AtomicFile.of(link, "the test file");
    assertEquals(realDir.toRealPath().resolve("later"), f.path());
    try (AtomicFile.Lock l = f.lock()) {
      f.replace(new byte[] {7}, () -> { });
    }
    assertTrue(Files.isSymbolicLink(link));
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(link));
  }

  @Test
  void realPath_ofNewFile_isRealParentPlusName() throws Exception {
    Path realDir = Files.createDirectory(dir.resolve("real"));
    Path dirLink = Files.createSymbolicLink(dir.resolve("dirlink"), realDir);
    assertEquals(realDir.toRealPath().resolve("s"), AtomicFile.of(dirLink.resolve("s"), "x").path());
    assertEquals(realDir.toRealPath().resolve("s"), AtomicFile.of(dir.resolve("real/../dirlink/./s"), "x").path());
  }

  @Test
  void realPath_missingDirectory_isRefusedNamingIt() {
    KeyringException e = assertThrows(KeyringException.class, () -> AtomicFile.of(dir.resolve("no/such/s"), "the key store"));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void realPath_linkLoop_isRefused() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    KeyringException e = assertThrows(KeyringException.class, () -> AtomicFile.of(a, "the key store"));
    assertTrue(e.getMessage().contains("symbolic links"), e.getMessage());
  }

  @Test
  void twoPathsToOneFile_shareOneLock() throws Exception {
    Path real = Files.write(Files.createDirectory(dir.resolve("d")).resolve("s"), new byte[] {1});
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    AtomicFile viaReal = AtomicFile.of(real, "x");
    List<AtomicFile> others = List.of(AtomicFile.of(link, "x"), AtomicFile.of(dir.resolve("d/../d/s"), "x"),
        AtomicFile.of(dir.resolve("link").toAbsolutePath(), "x"));
    for (AtomicFile other : others) {
      AtomicBoolean got = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(1);
      Thread t;
      try (AtomicFile.Lock l = viaReal.lock()) {
        t = new Thread(() -> {
          try (AtomicFile.Lock l2 = other.lock()) {
            got.set(true);
          } finally {
            done.countDown();
          }
        });
        t.start();
        assertFalse(done.await(300, TimeUnit.MILLISECONDS), "a second path to the file must wait for the same lock");
        assertFalse(got.get());
      }
      assertTrue(done.await(10, TimeUnit.SECONDS), "released: the other path gets the lock");
      assertTrue(got.get());
      t.join();
    }
  }

  @Test
  void createdFiles_areOwnerOnly_fromTheFirstByte() throws Exception {
    assumeTrue(OwnerOnlyFiles.isPosix(dir), "POSIX permissions");
    AtomicFile f = AtomicFile.of(dir.resolve("s"), "x");
    List<String> tmpModes = new ArrayList<>();
    AtomicFile.faultHook = point -> {
      if (point.equals("after-write")) {
        try {
          for (Path t : temporaries(dir)) {
            tmpModes.add(mode(t));
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    };
    try (AtomicFile.Lock l = f.lock()) {
      f.replace(new byte[] {1}, () -> { });
    }
    assertEquals(List.of("rw-------"), tmpModes, "the temporary file, while it exists");
    assertEquals("rw-------", mode(f.path()));
    assertEquals("rw-------", mode(f.sibling(".lock")));
  }

  @Test
  void failedReplace_removesItsTemporary_andKeepsTheOldFile() throws Exception {
    Path p = Files.write(dir.resolve("s"), new byte[] {1, 1});
    AtomicFile f = AtomicFile.of(p, "x");
    AtomicFile.faultHook = point -> {
      throw new IllegalStateException("fault at " + point);
    };
    try (AtomicFile.Lock l = f.lock()) {
      assertThrows(IllegalStateException.class, () -> f.replace(new byte[] {2}, () -> { }));
    }
    assertArrayEquals(new byte[] {1, 1}, Files.readAllBytes(p));
    assertEquals(List.of(), temporaries(dir));
    // a failing step before the rename (e.g. the audit log's sync) is the same
    AtomicFile.faultHook = null;
    try (AtomicFile.Lock l = f.lock()) {
      assertThrows(KeyringException.class, () -> f.replace(new byte[] {3}, () -> {
        throw new KeyringException("sync failed");
      }));
    }
    assertArrayEquals(new byte[] {1, 1}, Files.readAllBytes(p));
    assertEquals(List.of(), temporaries(dir));
  }

  @Test
  void removeStrayTemporaries_removesOnlyThisFilesTemporaries() throws Exception {
    Path p = Files.write(dir.resolve("s"), new byte[] {1});
    Path stray = Files.write(dir.resolve(".s.0123abcd.tmp"), new byte[] {9});
    Path otherStore = Files.write(dir.resolve(".t.0123abcd.tmp"), new byte[] {9});
    AtomicFile.of(p, "x").removeStrayTemporaries();
    assertFalse(Files.exists(stray));
    assertTrue(Files.exists(otherStore));
    assertTrue(Files.exists(p));
  }
}

package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileKeyBackend#openExisting}: never a new store where none was. */
class FileKeyBackendOpenExistingTest {

  private static final char[] PW = "open-existing-test".toCharArray();
  @TempDir Path dir;

  @Test
  void openExisting_missingFile_isNoSuchStore_andCreatesNothing() {
    Path f = dir.resolve("typo.clavis");
    NoSuchStoreException e = assertThrows(NoSuchStoreException.class, () -> FileKeyBackend.openExisting(f, PW));
    assertEquals(f.toAbsolutePath().normalize(), e.file());
    assertFalse(Files.exists(f));
    assertFalse(Files.exists(dir.resolve("typo.clavis.lock")));
  }
}

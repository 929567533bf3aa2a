package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreConfigTest {

  @TempDir Path dir;

  private Path conf(String text) throws Exception {
    Path c = dir.resolve("store.conf");
    Files.writeString(c, text);
    return c;
  }

  @Test
  void relativeStorePath_isResolvedAgainstTheConfigurationsDirectory_createDefaultsToFalse() throws Exception {
    FileStoreConfig c = FileStoreConfig.parse(conf("store = keys.clavis   # the store\n"));
    assertEquals(dir.resolve("keys.clavis").toAbsolutePath().normalize(), c.store());
    assertFalse(c.create());
    assertTrue(FileStoreConfig.parse(conf("store = /x/k.clavis\ncreate = true\n")).create());
  }

  @Test
  void isStoreConfig_tellsStoreFromPkcs11Configurations() throws Exception {
    assertTrue(FileStoreConfig.isStoreConfig(conf("store = k\n")));
    assertFalse(FileStoreConfig.isStoreConfig(conf("name = s\nlibrary = /l.so\n")));
    assertFalse(FileStoreConfig.isStoreConfig(dir.resolve("missing.conf")));
  }

  @Test
  void badConfigurations_failNamingTheLine() throws Exception {
    assertTrue(assertThrows(InvalidParameterException.class, () -> FileStoreConfig.parse(conf("store = a\nlibrary = b\n")))
        .getMessage().contains("line 2: unknown key 'library'"));
    assertTrue(assertThrows(InvalidParameterException.class, () -> FileStoreConfig.parse(conf("store = a\nstore = b\n")))
        .getMessage().contains("given twice"));
    assertTrue(assertThrows(InvalidParameterException.class, () -> FileStoreConfig.parse(conf("store\n")))
        .getMessage().contains("line 1: expected key = value"));
    assertTrue(assertThrows(InvalidParameterException.class, () -> FileStoreConfig.parse(conf("store = a\ncreate = yes\n")))
        .getMessage().contains("create must be true or false"));
    assertTrue(assertThrows(InvalidParameterException.class, () -> FileStoreConfig.parse(conf("create = true\n")))
        .getMessage().contains("no 'store = <path>' line"));
  }
}

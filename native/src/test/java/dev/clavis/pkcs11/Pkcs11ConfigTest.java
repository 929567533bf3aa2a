package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs11ConfigTest {

  @TempDir
  Path dir;

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("p11.cfg"), text);
  }

  @Test
  void parse_contractExample_readsEveryKey() throws Exception {
    Pkcs11Config c = Pkcs11Config.parse(write("# Clavis on SoftHSM2\nname = softhsm\n"
        + "library = /usr/lib/softhsm/libsofthsm2.so\ntokenLabel = clavis          # or: slot = 0\n"
        + "pin = env:CLAVIS_PIN         # or: file:/path\n\n"));
    assertEquals("softhsm", c.name());
    assertEquals(Path.of("/usr/lib/softhsm/libsofthsm2.so"), c.library());
    assertEquals("clavis", c.tokenLabel());
    assertTrue(c.hasPin());
    assertTrue(c.slotId().isEmpty());
  }

  @Test
  void parse_lockDirAndAuditLog_areRead_andTheAuditLogDefaultsBesideTheFile() throws Exception {
    Path f = write("library = /lib/x.so\ntokenLabel = t\nlockDir = /run/clavis\nauditLog = /var/log/t.audit\n");
    Pkcs11Config c = Pkcs11Config.parse(f);
    assertEquals(Path.of("/run/clavis"), c.lockDir());
    assertEquals(Path.of("/var/log/t.audit"), c.auditLog());
    Pkcs11Config d = Pkcs11Config.parse(write("library = /lib/x.so\ntokenLabel = t\n"));
    assertEquals(null, d.lockDir());
    assertEquals(dir.resolve("p11.cfg.audit"), d.auditLog());
    assertEquals(null, Pkcs11Config.builder().library(Path.of("/lib/x.so")).tokenLabel("t").build().auditLog(),
        "a configuration made in code has no file to put the log beside");
  }

  @Test
  void parse_slot_readsSlotId() throws Exception {
    Pkcs11Config c = Pkcs11Config.parse(write("library = /x.so\nslot = 0\n"));
    assertEquals(0L, c.slotId().getAsLong());
    assertEquals("token", c.name());
  }

  @Test
  void parse_missingLibrary_saysSo() throws Exception {
    Path f = write("name = x\ntokenLabel = clavis\n");
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f));
    assertTrue(e.getMessage().contains("missing 'library"), e.getMessage());
  }

  @Test
  void parse_lineWithoutEquals_namesTheLineAndHidesPins() throws Exception {
    Path f = write("library = /x.so\ntokenLabel = a\npin 1234\n");
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("expected 'key = value'"), e.getMessage());
    assertFalse(e.getMessage().contains("1234"), e.getMessage());
  }

  @Test
  void parse_unknownKey_isRefused() throws Exception {
    Path f = write("library = /x.so\ntokenLabel = a\nlibary = typo\n");
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f));
    assertTrue(e.getMessage().contains("line 3: unknown key 'libary'"), e.getMessage());
  }

  @Test
  void parse_twoSelectors_isRefused() throws Exception {
    Path f = write("library = /x.so\ntokenLabel = a\nslot = 1\n");
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f));
    assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
  }

  @Test
  void parse_noSelector_isRefused() throws Exception {
    Path f = write("library = /x.so\n");
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f));
    assertTrue(e.getMessage().contains("no token selected"), e.getMessage());
  }

  @Test
  void parse_repeatedKeyAndBadSlot_areRefused() throws Exception {
    Path f1 = write("library = /x.so\nlibrary = /y.so\ntokenLabel = a\n");
    assertTrue(assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f1)).getMessage().contains("set twice"));
    Path f2 = write("library = /x.so\nslot = abc\n");
    assertTrue(assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f2)).getMessage().contains("non-negative integer"));
  }

  @Test
  void parse_missingFile_namesIt() {
    Path f = dir.resolve("nope.cfg");
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(f));
    assertTrue(e.getMessage().contains("nope.cfg"), e.getMessage());
  }

  @Test
  void resolvePin_fileAndLiteral_readThePin() throws Exception {
    Path pinFile = Files.writeString(dir.resolve("pin"), "4321\n");
    Pkcs11Config fromFile = Pkcs11Config.parse(write("library = /x.so\ntokenLabel = a\npin = file:" + pinFile + "\n"));
    assertArrayEquals("4321".toCharArray(), fromFile.resolvePin());
    Pkcs11Config literal = Pkcs11Config.parse(write("library = /x.so\ntokenLabel = a\npin = 1111\n"));
    assertArrayEquals("1111".toCharArray(), literal.resolvePin());
    assertFalse(literal.toString().contains("1111"));
  }

  @Test
  void resolvePin_unsetVariableOrNoPin_explains() throws Exception {
    Pkcs11Config env = Pkcs11Config.parse(write("library = /x.so\ntokenLabel = a\npin = env:CLAVIS_TEST_UNSET_VAR_42\n"));
    assertTrue(assertThrows(Pkcs11ConfigException.class, env::resolvePin).getMessage()
        .contains("CLAVIS_TEST_UNSET_VAR_42 is not set"));
    Pkcs11Config none = Pkcs11Config.parse(write("library = /x.so\ntokenLabel = a\n"));
    assertTrue(assertThrows(Pkcs11ConfigException.class, none::resolvePin).getMessage().contains("no 'pin' setting"));
  }

  @Test
  void open_unknownTokenLabel_listsTokensPresent() throws Exception {
    SoftHsm.require();
    Pkcs11Config c = Pkcs11Config.builder().library(SoftHsm.LIBRARY).tokenLabel("no-such-token").build();
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Token.open(c, "1234".toCharArray()));
    assertTrue(e.getMessage().contains("no token labelled 'no-such-token'"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + SoftHsm.LABEL + "'"), e.getMessage());
  }

  @Test
  void parse_badName_throwsConfigExceptionNamingTheKey() throws Exception {
    Pkcs11ConfigException e = assertThrows(Pkcs11ConfigException.class,
        () -> Pkcs11Config.parse(write("name = not a name!\nlibrary = /x.so\ntokenLabel = t\n")));
    assertTrue(e.getMessage().contains("'name' must be"), e.getMessage());
  }

  @Test
  void parse_libraryPathWithNul_throwsConfigException() throws Exception {
    assertThrows(Pkcs11ConfigException.class, () -> Pkcs11Config.parse(write("library = /x\u0000.so\ntokenLabel = t\n")));
  }

  @Test
  void resolvePin_endlessPinFile_readsAtMostOneBoundedLine() throws Exception {
    Pkcs11Config c = Pkcs11Config.parse(write("library = /x.so\ntokenLabel = t\npin = file:/dev/zero\n"));
    char[] pin = c.resolvePin();
    assertTrue(pin.length <= 4096, "read " + pin.length + " chars from an endless file");
  }
}

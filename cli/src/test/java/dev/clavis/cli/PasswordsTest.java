package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordsTest {

  @TempDir Path dir;

  @Test
  void read_fileWinsOverEnvironment_andDropsLineEnding() throws Exception {
    Path f = dir.resolve("pw");
    Files.write(f, "päss word\r\nsecond line".getBytes(StandardCharsets.UTF_8));
    char[] pw = new Passwords(f.toString(), Map.of(Passwords.ENV, "env")).read("x", false);
    assertArrayEquals("päss word".toCharArray(), pw);
  }

  @Test
  void read_environment_whenNoFile() {
    assertArrayEquals("envpw".toCharArray(), new Passwords(null, Map.of(Passwords.ENV, "envpw")).read("x", false));
  }

  @Test
  void read_emptyOrMissingFile_failsWithoutContent() throws Exception {
    Path f = dir.resolve("empty");
    Files.write(f, "\n".getBytes(StandardCharsets.UTF_8));
    assertThrows(CliException.class, () -> new Passwords(f.toString(), Map.of()).read("x", false));
    CliException e = assertThrows(CliException.class, () -> new Passwords(dir.resolve("nope").toString(), Map.of()).read("x", false));
    assertFalse(e.getMessage().contains("Exception:"));
  }
}

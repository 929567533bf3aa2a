package dev.clavis.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the store password comes from, in this order: {@code --password-file FILE} (its first
 * line), the {@code CLAVIS_PASSWORD} environment variable, or a prompt on the terminal without
 * echo. Never from the command line. A new password ({@code clavis passwd}) comes the same way
 * from {@code --new-password-file FILE}, {@code CLAVIS_NEW_PASSWORD} or a prompt asked twice
 * ({@link #forNew}). Callers wipe the returned array.
 */
final class Passwords {

  /** The environment variable holding the store password. */
  static final String ENV = "CLAVIS_PASSWORD";
  /** The environment variable holding the new password of {@code clavis passwd}. */
  static final String ENV_NEW = "CLAVIS_NEW_PASSWORD";

  private final String passwordFile;
  private final Map<String, String> env;
  private final String noun;
  private final String envName;
  private final String fileOption;

  Passwords(String passwordFile, Map<String, String> env) {
    this(passwordFile, env, "password");
  }

  /** @param noun what the secret is called in messages: "password", or "PIN" for a token */
  Passwords(String passwordFile, Map<String, String> env, String noun) {
    this(passwordFile, env, noun, ENV, "--password-file");
  }

  private Passwords(String passwordFile, Map<String, String> env, String noun, String envName, String fileOption) {
    this.passwordFile = passwordFile;
    this.env = env;
    this.noun = noun;
    this.envName = envName;
    this.fileOption = fileOption;
  }

  /** @return the source of a new password: {@code --new-password-file}, {@code CLAVIS_NEW_PASSWORD}, a prompt */
  static Passwords forNew(String newPasswordFile, Map<String, String> env) {
    return new Passwords(newPasswordFile, env, "password", ENV_NEW, "--new-password-file");
  }

  /** The environment variable prefix of custodian passphrases: {@code CLAVIS_SHARE_PASSPHRASE_3} for share 3. */
  static final String ENV_SHARE = "CLAVIS_SHARE_PASSPHRASE_";

  /**
   * @param file the custodian's passphrase file from {@code --passphrase-file}, or null
   * @return the source of a custodian key's passphrase: that file, {@code CLAVIS_CUSTODIAN_PASSPHRASE}, a prompt
   */
  static Passwords forCustodian(String file, Map<String, String> env) {
    return new Passwords(file, env, "custodian passphrase", ENV_CUSTODIAN, "--passphrase-file");
  }

  /** The environment variable holding a custodian's passphrase when {@code --passphrase-file} does not. */
  static final String ENV_CUSTODIAN = "CLAVIS_CUSTODIAN_PASSPHRASE";

  /**
   * @param file the custodian's passphrase file from {@code --passphrase-file}, or null
   * @param share the share's number
   * @return the source of a custodian's passphrase: that file, {@code CLAVIS_SHARE_PASSPHRASE_<share>}, a prompt
   */
  static Passwords forShare(String file, Map<String, String> env, int share) {
    return new Passwords(file, env, "passphrase for share " + share, ENV_SHARE + share, "--passphrase-files");
  }

  /**
   * @param prompt what the terminal prompt says
   * @param confirm whether a prompted password is asked twice (when a store is created)
   * @return the password; the caller wipes it
   * @throws CliException if no source gives a password
   */
  char[] read(String prompt, boolean confirm) {
    if (passwordFile != null) {
      return fromFile(Path.of(passwordFile));
    }
    String fromEnv = env.get(envName);
    if (fromEnv != null) {
      if (fromEnv.isEmpty()) {
        throw new CliException(envName + " is set but empty");
      }
      return fromEnv.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new CliException("no " + noun + ": set " + envName + ", use " + fileOption + " FILE, or run in a terminal to be asked");
    }
    char[] first = console.readPassword("%s: ", prompt);
    if (first == null || first.length == 0) {
      throw new CliException("no " + noun + " entered");
    }
    if (confirm) {
      char[] second = console.readPassword("Repeat it: ");
      try {
        if (second == null || !Arrays.equals(first, second)) {
          Arrays.fill(first, '\0');
          throw new CliException("the two passwords differ; nothing was changed");
        }
      } finally {
        if (second != null) {
          Arrays.fill(second, '\0');
        }
      }
    }
    return first;
  }

  /** Reads the first line of a file as UTF-8, without its line ending. */
  static char[] fromFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException("cannot read the password file " + file + ": " + Failures.describe(e));
    }
    try {
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      if (end == 0) {
        throw new CliException("the password file " + file + " is empty");
      }
      CharBuffer chars;
      try {
        chars = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, end));
      } catch (CharacterCodingException e) {
        throw new CliException("the password file " + file + " is not UTF-8 text");
      }
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}

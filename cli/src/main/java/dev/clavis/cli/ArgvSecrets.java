package dev.clavis.cli;

/**
 * Refuses secrets on the command line before anything parses it, so no message can echo one:
 * every user of the machine can read a process's arguments ({@code ps}, {@code /proc/PID/cmdline}).
 * Passwords and PINs come from a file, the environment or a prompt; a BIP32 seed from stdin or a
 * file.
 */
final class ArgvSecrets {

  /** The message for a seed given as an argument. */
  static final String SEED_REFUSED = "a seed is never taken on the command line: use --seed-hex - to read its hex digits"
      + " from stdin, or --seed-file FILE";

  private static final String PASSWORD_REFUSED = "passwords are never taken on the command line: set CLAVIS_PASSWORD, "
      + "use --password-file FILE, or type it at the prompt";

  /** The message for a database password inside a {@code --db} URL. */
  static final String DB_PASSWORD_REFUSED = "a database password is never taken on the command line: leave it out of"
      + " the --db URL and set PGPASSWORD, use ~/.pgpass, or give the whole URL in CLAVIS_DB";

  private ArgvSecrets() {}

  /**
   * @param argv the arguments as given
   * @throws CliException a usage error, without the value, for {@code --password}, {@code --pin},
   *     {@code -p}, {@code --new-password}, {@code --seed-hex} with anything but {@code -}, or a
   *     {@code --db} (or {@code --from-db}, {@code --to-db}) URL that carries a password, or a
   *     {@code --db-property} that sets one
   */
  static void refuse(String[] argv) {
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--")) {
        return;
      }
      int eq = a.startsWith("--") ? a.indexOf('=') : -1;
      String name = eq > 0 ? a.substring(0, eq) : a;
      if (name.equals("--password") || name.equals("--pin") || name.equals("-p") || name.equals("--new-password")
          || name.equals("--passphrase")) {
        throw CliException.usage(PASSWORD_REFUSED);
      }
      if (name.equals("--db") || name.equals("--from-db") || name.equals("--to-db")) {
        String value = eq > 0 ? a.substring(eq + 1) : i + 1 < argv.length ? argv[i + 1] : null;
        if (value != null && DatabaseOpener.carriesPassword(value)) {
          throw CliException.usage(DB_PASSWORD_REFUSED);
        }
      }
      if (name.equals("--db-property")) {
        String value = eq > 0 ? a.substring(eq + 1) : i + 1 < argv.length ? argv[i + 1] : null;
        if (value != null && DatabaseOpener.setsASecret(value)) {
          throw CliException.usage(DB_PASSWORD_REFUSED);
        }
      }
      if (name.equals("--seed-hex")) {
        String value = eq > 0 ? a.substring(eq + 1) : i + 1 < argv.length ? argv[i + 1] : null;
        if (value != null && !value.equals("-")) {
          throw CliException.usage(SEED_REFUSED);
        }
      }
    }
  }
}

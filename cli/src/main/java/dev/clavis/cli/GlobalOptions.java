package dev.clavis.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, declared once on the top command and inherited by each
 * subcommand ({@link ScopeType#INHERIT}), so they may stand before or after the command:
 * {@code clavis --store s list} and {@code clavis list --store s} set the same field.
 */
final class GlobalOptions {

  @Option(names = "--store", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 100,
      description = {"the encrypted file store (default $CLAVIS_STORE, else ./clavis.store)"})
  String store;

  @Option(names = "--hsm", paramLabel = "CONFIG", scope = ScopeType.INHERIT, order = 101,
      description = {"a PKCS#11 token described by CONFIG instead of a file store; with --store FILE: a file store"
          + " whose master key is wrapped by a root key on that token (create it with init)"})
  String hsm;

  @Option(names = "--db", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT, order = 100,
      description = {"a keyring kept in PostgreSQL instead of a file store (default $CLAVIS_DB), e.g."
          + " jdbc:postgresql://HOST:5432/DB?user=NAME; the database password from $PGPASSWORD or ~/.pgpass,"
          + " never on the command line; the keyring's own password as for a file store"})
  String db;

  @Option(names = "--keyring", paramLabel = "NAME", scope = ScopeType.INHERIT, order = 100,
      description = {"with --db: the keyring's name inside the database (default $CLAVIS_KEYRING, else 'default')"})
  String keyring;

  @Option(names = "--db-property", paramLabel = "NAME=VALUE", scope = ScopeType.INHERIT, order = 100,
      description = {"with --db: a connection property (repeatable), e.g. sslmode=verify-full,"
          + " clavis.maxStaleness=PT10S, clavis.commitMark=FILE; never a password"})
  java.util.List<String> dbProperties;

  @Option(names = "--anchor", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 102,
      description = {"a high-water mark of the store kept outside it: refuses a store (with its log) restored from an"
          + " older copy; created at first use"})
  String anchor;

  @Option(names = "--password-file", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 103,
      description = {"read the password (the PIN with --hsm) from the first line of FILE; else $CLAVIS_PASSWORD,"
          + " else a prompt; never on the command line"})
  String passwordFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, order = 104,
      description = {"print the result as JSON: what list, show, audit and derive print, and the versions a"
          + " changing command created or moved"})
  boolean json;

  @Option(names = "--actor", paramLabel = "NAME", scope = ScopeType.INHERIT, order = 107,
      description = {"who the audit records name as acting (default $CLAVIS_ACTOR, else the operating-system user);"
          + " a claim, recorded as given"})
  String actor;

  @Option(names = "--audit-decrypts", scope = ScopeType.INHERIT, order = 108,
      description = {"record every decryption in the audit log (a durable write each), not only the periodic counts"})
  boolean auditDecrypts;

  @Option(names = "--approvals", paramLabel = "A1,A2,...", scope = ScopeType.INHERIT, order = 109,
      description = {"custodians' approval files for an operation the store's quorum guards (see 'approve')"})
  String approvals;

  @Option(names = "--approval-request", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 110,
      description = {"when the store's quorum refuses this command, write the request to approve to FILE (new)"})
  String approvalRequest;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, order = 105,
      description = {"log what the engine does on stderr (never secrets)"})
  boolean verbose;

  @Option(names = "--debug", scope = ScopeType.INHERIT, order = 106,
      description = {"like --verbose, and print the stack trace of an error"})
  boolean debug;
}

package dev.clavis.keyring.spi;
/** Opens a KeyBackend kept in a database; found with java.util.ServiceLoader (clavis-jdbc provides one). */
public interface DatabaseBackendFactory {
  /**
   * @param jdbcUrl e.g. jdbc:postgresql://host:5432/db
   * @param connection driver properties (user, password, ssl...) plus Clavis's own: "clavis.keyring" (the keyring's
   *        name inside the database, default "default"), "clavis.maxStaleness" (ISO-8601 duration, default PT30S)
   * @param password the keyring password (not the database's); not kept, caller wipes
   * @param kdfForNew Argon2id parameters for a keyring created now
   * @param createIfMissing create the tables and the keyring if absent
   * @return the backend; closing it closes its connections
   * @throws dev.clavis.keyring.NoSuchStoreException-like KeyringException if absent and !createIfMissing,
   *         WrongPasswordException, StoreDamagedException, KeyringException (unreachable database, naming host:port)
   */
  KeyBackend open(String jdbcUrl, java.util.Properties connection, char[] password,
                  dev.clavis.keyring.KdfParameters kdfForNew, boolean createIfMissing);
  /** @return true if this factory handles the URL (clavis-jdbc: starts with "jdbc:postgresql:") */
  boolean accepts(String jdbcUrl);
}

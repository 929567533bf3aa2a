package dev.clavis.keyring;

import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.DatabaseBackendFactory;
import dev.clavis.keyring.spi.KeyBackend;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * A {@link DatabaseBackendFactory} for tests of the entry points that need no database: it takes
 * {@code jdbc:clavis-test:PATH} URLs and opens the file store at PATH, so what the entry points
 * hand the factory (URL, properties, password, KDF, create-if-missing) is checked against a real
 * backend. It is never on the class path by itself: {@link #visible} registers it through a
 * context class loader for one call only, so every other test sees no database backend at all.
 */
public final class FileBackedDatabaseFactory implements DatabaseBackendFactory {

  /** The URL prefix this factory takes. */
  public static final String PREFIX = "jdbc:clavis-test:";

  /** The connection properties of the last {@link #open}, as received. */
  public static volatile Properties lastConnection;

  /** ServiceLoader's constructor. */
  public FileBackedDatabaseFactory() {}

  @Override
  public KeyBackend open(String jdbcUrl, Properties connection, char[] password, KdfParameters kdfForNew,
      boolean createIfMissing) {
    lastConnection = (Properties) connection.clone();
    Path file = Path.of(jdbcUrl.substring(PREFIX.length()));
    // the tests say "test.kdf=fast" so that KeyStore loads (which pass the default KDF) stay quick
    KdfParameters kdf = "fast".equals(connection.getProperty("test.kdf")) ? TestStores.FAST_KDF : kdfForNew;
    if (!createIfMissing) {
      if (!Files.exists(file)) {
        throw new KeyringException("no keyring " + connection.getProperty("clavis.keyring", "default") + " at "
            + file);
      }
      return FileKeyBackend.openExisting(file, password);
    }
    return FileKeyBackend.open(file, password, kdf);
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith(PREFIX);
  }

  /**
   * Runs {@code body} with this factory registered for {@link java.util.ServiceLoader} through the
   * thread's context class loader; restores the loader afterwards.
   *
   * @param dir a scratch directory for the services file
   * @param body what to run
   * @return what {@code body} returns
   * @throws Exception what {@code body} throws
   */
  public static <T> T visible(Path dir, Callable<T> body) throws Exception {
    Path services = dir.resolve("services-root/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(DatabaseBackendFactory.class.getName()),
        FileBackedDatabaseFactory.class.getName() + "\n", StandardCharsets.UTF_8);
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("services-root").toUri().toURL()},
        FileBackedDatabaseFactory.class.getClassLoader())) {
      t.setContextClassLoader(loader);
      return body.call();
    } finally {
      t.setContextClassLoader(before);
    }
  }
}

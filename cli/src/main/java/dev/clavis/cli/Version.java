package dev.clavis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code clavis --version}: the Maven project version, written into {@code version.properties}
 * when the module is built (resource filtering), so it cannot drift from the pom.
 */
final class Version implements IVersionProvider {

  /**
   * @return the version line, e.g. {@code clavis 0.1.0}
   * @throws IOException if the resource cannot be read
   */
  @Override
  public String[] getVersion() throws IOException {
    return new String[] {"clavis " + number()};
  }

  /**
   * @return the project version this jar was built from
   * @throws IOException if the resource is missing or unreadable
   */
  static String number() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IOException("version.properties is missing from the jar");
      }
      p.load(in);
    }
    String v = p.getProperty("version", "");
    if (v.isBlank() || v.contains("${")) {
      throw new IOException("version.properties was not filtered at build time");
    }
    return v;
  }
}

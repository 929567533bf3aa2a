package dev.clavis.provider;

/**
 * The {@code javax.crypto.KDF} services (JDK 25, JEP 510). Before JDK 25 there is no KDF API, and
 * this version adds nothing; the multi-release jar's {@code META-INF/versions/25} holds the
 * version that adds {@code HKDF-SHA256} and {@code Argon2id} (source: {@code src/main/java25},
 * compiled only by a JDK 25 build, profile {@code jdk25}).
 */
final class KdfServices {

  private KdfServices() {}

  /** @param table the provider's service table: nothing to add before JDK 25 */
  static void addTo(ServiceTable table) {
    // no javax.crypto.KDF before JDK 25
  }
}

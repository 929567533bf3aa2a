package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.pkcs11.TokenGeneratedKeyPair;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Key pairs generated on the token ({@code C_GenerateKeyPair}: the private key sensitive, never
 * extractable and {@code CKA_LOCAL}), self-signed there, and stored as a new key (version 1) or
 * the next version of an existing key pair. A CA reply later replaces the self-signed chain.
 */
public final class TokenKeyPairGeneration {

  private TokenKeyPairGeneration() {}

  /**
   * @param ring a keyring on a token ({@code Keyrings.open(KeyringOptions.token(...))})
   * @param name the key to create, or to rotate
   * @param algorithm {@code EC_P256}, {@code EC_P384}, {@code RSA} or {@code ED25519}
   * @param rsaBits 2048 to 4096 for RSA; ignored otherwise
   * @param subject the self-signed certificate's subject, such as {@code CN=api.example.com}
   * @param validity how long that certificate is valid
   * @param policy the policy of a new key (not exportable: the token never lets the key out)
   * @return the key as it is now
   * @throws IllegalArgumentException if the keyring is not on a token, for another algorithm, an
   *     RSA size out of range, an invalid subject, or an exportable policy
   * @throws KeyringException if the token fails; nothing is left on it
   */
  public static KeyInfo generate(Keyring ring, String name, KeyAlgorithm algorithm, int rsaBits, String subject,
      Duration validity, KeyPolicy policy) {
    if (!(ring instanceof KeyringEngine)) {
      throw new IllegalArgumentException("this keyring is not one Clavis opened on a token");
    }
    try (TokenGeneratedKeyPair p = TokenGeneratedKeyPair.generate((KeyringEngine) ring, algorithm, rsaBits)) {
      X509Certificate c = SelfSignedCertificate.create(subject, p.publicKey(), p::sign,
          Instant.now().minusSeconds(60), validity);
      return ring.importKey(name, algorithm, p.material(List.of(c.getEncoded())), policy);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot self-sign the key pair generated for " + name + " on the token: "
          + e.getMessage(), e);
    }
  }
}

package dev.clavis.spec;

import java.security.spec.AlgorithmParameterSpec;

/**
 * Asks a Clavis {@code AES/KW/NoPadding} or {@code AES/KWP/NoPadding} cipher initialised in
 * {@code UNWRAP_MODE} with a KEK held on a token to unwrap onto that token: {@code unwrap} then
 * runs {@code C_UnwrapKey} into a session object that is sensitive and not extractable, and
 * returns a {@code SecretKey} handle to it ({@code getEncoded()} and {@code getFormat()} null) instead
 * of the key's bytes; the key never exists in host memory. The object lives until the handle's
 * {@code destroy()} or the end of the keyring's sessions.
 *
 * <pre>
 * cipher.init(Cipher.UNWRAP_MODE, tokenKek, new UnwrapToTokenSpec());
 * SecretKey onToken = (SecretKey) cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
 * </pre>
 *
 * The initial value is the default one (RFC 3394 §2.2.3.1, RFC 5649 §3). Only secret keys unwrap
 * onto the token; a file-store KEK refuses the spec.
 */
public final class UnwrapToTokenSpec implements AlgorithmParameterSpec {

  /** The one setting: sensitive, not extractable. */
  public UnwrapToTokenSpec() {}

  @Override
  public String toString() {
    return "UnwrapToTokenSpec{sensitive, not extractable}";
  }
}

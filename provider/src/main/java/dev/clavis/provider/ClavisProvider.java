package dev.clavis.provider;

import dev.clavis.keyring.ManagedKey;
import dev.clavis.provider.jca.ClavisKeyStore;
import dev.clavis.provider.jca.ManagedGcmCipher;
import dev.clavis.provider.jca.ManagedHmac;
import dev.clavis.provider.jca.SecretKeyGenerator;
import java.security.Provider;
import java.util.List;
import java.util.Map;

/**
 * The Clavis JCA/JCE provider.
 *
 * <p>Register it with {@code Security.addProvider(new ClavisProvider())}, name it in
 * {@code java.security} ({@code security.provider.N=dev.clavis.provider.ClavisProvider}) or pass it
 * to keytool with {@code -providerclass}. Every service is listed in {@link #registerServices()},
 * one line each.
 */
public final class ClavisProvider extends Provider {

  private static final long serialVersionUID = 1L;

  /** The provider name, as in {@code Cipher.getInstance("AES/KW/NoPadding", "Clavis")}. */
  public static final String NAME = "Clavis";

  static final String VERSION = "0.1";

  /** Creates the provider with its software services and the file-store keystore. */
  public ClavisProvider() {
    super(NAME, VERSION, "Clavis key management: managed keys, AES key wrap, Argon2, BIP32");
    registerServices();
  }

  /**
   * Creates a new provider bound to a PKCS#11 token, as {@code SunPKCS11.configure} does.
   *
   * @param configPath path of a PKCS#11 configuration file (see the README)
   * @return a new provider instance bound to the configured token
   * @throws java.security.InvalidParameterException if the configuration is unreadable or invalid
   */
  @Override
  public Provider configure(String configPath) {
    throw new UnsupportedOperationException("PKCS#11 configuration is not available yet");
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  /** The service table: one line a service, aliases and attributes beside it. */
  private void registerServices() {
    ServiceTable t = new ServiceTable(this, this::putService);

    // --- AES key wrap (RFC 3394, RFC 5649) ---

    // --- Argon2 (RFC 9106) ---

    // --- BIP32 hierarchical deterministic keys ---

    // --- managed keys: keystores, key generators, lifecycle-enforcing Cipher and Mac ---
    Map<String, String> managedOnly = Map.of("SupportedKeyClasses", ManagedKey.class.getName());
    t.add("KeyStore", "Clavis", p -> new ClavisKeyStore());
    t.add("KeyGenerator", "AES", p -> new SecretKeyGenerator.Aes());
    t.add("KeyGenerator", "HmacSHA256", p -> new SecretKeyGenerator.HmacSha256());
    t.add("Cipher", "AES/GCM/NoPadding", p -> new ManagedGcmCipher(), List.of(), managedOnly);
    t.add("Mac", "HmacSHA256", p -> new ManagedHmac(), List.of(), managedOnly);

    t.registerAll();
  }
}

package dev.clavis.provider;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.ManagedPublicKey;
import dev.clavis.provider.jca.HkdfSecretKeyFactorySpi;
import dev.clavis.provider.jca.ManagedBlockModeCipherSpi;
import dev.clavis.provider.jca.ClavisKeyStoreSpi;
import dev.clavis.provider.jca.FileStoreConfig;
import dev.clavis.provider.jca.ManagedGcmCipherSpi;
import dev.clavis.provider.jca.ManagedHmacSpi;
import dev.clavis.provider.jca.ManagedSignatureSpi;
import dev.clavis.provider.jca.SecretKeyGeneratorSpi;
import dev.clavis.provider.jca.TokenIdentity;
import dev.clavis.provider.jca.Bip32KeyFactorySpi;
import dev.clavis.provider.jca.Argon2SecretKeyFactorySpi;
import dev.clavis.provider.jca.AesBlockCache;
import dev.clavis.provider.jca.KeyWrapCipherSpi;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.TokenInfo;
import dev.clavis.provider.jca.ClavisPkcs11KeyStoreSpi;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.Provider;
import java.security.ProviderException;
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

  private static final String INFO = "Clavis key management: managed keys, AES key wrap, Argon2, BIP32";

  /** The token a configured provider is bound to; null for the default provider. */
  private final transient Pkcs11Config token;

  /** The file store a configured provider's {@code Clavis} key store opens live; null by default. */
  private final transient FileStoreConfig store;

  /** The token a token-bound provider's key generators generate on; null otherwise. */
  private final transient TokenIdentity tokenIdentity;

  /** Creates the provider with its software services and the file-store keystore. */
  public ClavisProvider() {
    super(NAME, VERSION, INFO);
    this.token = null;
    this.store = null;
    this.tokenIdentity = null;
    registerServices();
  }

  /** A provider whose {@code Clavis} key store opens one file store live on {@code load(null, pw)}. */
  private ClavisProvider(FileStoreConfig store) {
    super(NAME + "-store", VERSION, INFO + "; key store Clavis bound to " + store.store());
    this.token = null;
    this.store = store;
    this.tokenIdentity = null;
    registerServices();
  }

  /** A provider bound to a token; named {@code Clavis-<name>} so it can sit beside the default one. */
  private ClavisProvider(Pkcs11Config token, TokenInfo info) {
    super(NAME + "-" + token.name(), VERSION, INFO + "; bound to PKCS#11 token '" + info.label() + "'");
    this.token = token;
    this.store = null;
    this.tokenIdentity = new TokenIdentity(token.library(), info);
    registerServices();
  }

  /**
   * Creates a new provider bound to a PKCS#11 token, as {@code SunPKCS11.configure} does.
   *
   * <p>The module is loaded and the token looked up now, so a bad configuration fails here and
   * never leaves the application running on another provider; the login happens in
   * {@code KeyStore.getInstance("ClavisPKCS11", provider).load(null, pin)}.
   *
   * <p>A file with a {@code store = <path>} line instead configures the file store for keytool's
   * live path ({@link FileStoreConfig}): the new provider, {@code Clavis-store}, has a
   * {@code Clavis} key store whose {@code load(null, password)} opens that store live and whose
   * {@code store(null, password)} has nothing left to write.
   *
   * @param configPath path of a PKCS#11 or store configuration file (see the README)
   * @return a new provider instance bound to the configured token, named {@code Clavis-<name>}
   * @throws InvalidParameterException if the configuration is unreadable or invalid, or names a
   *     token that is not there; the message names the file and the problem
   * @throws ProviderException if the library is missing, is not a PKCS#11 module or fails to initialize
   */
  @Override
  public Provider configure(String configPath) {
    if (configPath == null) {
      throw new InvalidParameterException("configure needs the path of a PKCS#11 configuration file");
    }
    if (FileStoreConfig.isStoreConfig(Path.of(configPath))) {
      return new ClavisProvider(FileStoreConfig.parse(Path.of(configPath)));
    }
    Pkcs11Config cfg;
    TokenInfo info;
    try {
      cfg = Pkcs11Config.parse(Path.of(configPath));
      info = Pkcs11Token.locate(cfg);
    } catch (Pkcs11ConfigException e) {
      InvalidParameterException ipe = new InvalidParameterException(e.getMessage());
      ipe.initCause(e);
      throw ipe;
    } catch (Pkcs11Exception e) {
      throw new ProviderException(configPath + ": " + e.getMessage(), e);
    }
    return new ClavisProvider(cfg, info);
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  /** The service table: one line a service, aliases and attributes beside it. */
  private void registerServices() {
    ServiceTable t = new ServiceTable(this, this::putService);

    // --- AES key wrap (RFC 3394, RFC 5649) ---
    // One AES block cache for all key-wrap ciphers of this provider instance. Keys of any class
    // and of null format are accepted (managed KEK handles have no encoding), hence no
    // SupportedKeyFormats.
    AesBlockCache kwAes = new AesBlockCache();
    Map<String, String> kwKeys = Map.of("SupportedKeyClasses", "javax.crypto.SecretKey");
    t.add("Cipher", "AES/KW/NoPadding", p -> new KeyWrapCipherSpi.Kw(kwAes),
        List.of("AESWrap", "AESKW"), kwKeys);
    t.add("Cipher", "AES_128/KW/NoPadding", p -> new KeyWrapCipherSpi.Kw128(kwAes),
        oidAliases("2.16.840.1.101.3.4.1.5", "AESWrap_128"), kwKeys);
    t.add("Cipher", "AES_192/KW/NoPadding", p -> new KeyWrapCipherSpi.Kw192(kwAes),
        oidAliases("2.16.840.1.101.3.4.1.25", "AESWrap_192"), kwKeys);
    t.add("Cipher", "AES_256/KW/NoPadding", p -> new KeyWrapCipherSpi.Kw256(kwAes),
        oidAliases("2.16.840.1.101.3.4.1.45", "AESWrap_256"), kwKeys);
    t.add("Cipher", "AES/KWP/NoPadding", p -> new KeyWrapCipherSpi.Kwp(kwAes),
        List.of("AESWrapPad", "AESKWP"), kwKeys);
    t.add("Cipher", "AES_128/KWP/NoPadding", p -> new KeyWrapCipherSpi.Kwp128(kwAes),
        oidAliases("2.16.840.1.101.3.4.1.8", "AESWrapPad_128"), kwKeys);
    t.add("Cipher", "AES_192/KWP/NoPadding", p -> new KeyWrapCipherSpi.Kwp192(kwAes),
        oidAliases("2.16.840.1.101.3.4.1.28", "AESWrapPad_192"), kwKeys);
    t.add("Cipher", "AES_256/KWP/NoPadding", p -> new KeyWrapCipherSpi.Kwp256(kwAes),
        oidAliases("2.16.840.1.101.3.4.1.48", "AESWrapPad_256"), kwKeys);

    // --- Argon2 (RFC 9106) ---
    t.add("SecretKeyFactory", "Argon2id", p -> new Argon2SecretKeyFactorySpi.Argon2id());
    t.add("SecretKeyFactory", "Argon2i", p -> new Argon2SecretKeyFactorySpi.Argon2i());
    t.add("SecretKeyFactory", "Argon2d", p -> new Argon2SecretKeyFactorySpi.Argon2d());

    // --- HKDF (RFC 5869), also from managed keys; on JDK 25 also KDF services ---
    t.add("SecretKeyFactory", "HKDF-SHA256", p -> new HkdfSecretKeyFactorySpi.Sha256());
    t.add("SecretKeyFactory", "HKDF-SHA512", p -> new HkdfSecretKeyFactorySpi.Sha512());
    KdfServices.addTo(t);

    // --- BIP32 hierarchical deterministic keys ---
    t.add("KeyFactory", "BIP32", p -> new Bip32KeyFactorySpi());

    // --- managed keys: keystores, key generators, lifecycle-enforcing Cipher and Mac ---
    Map<String, String> managedOnly = Map.of("SupportedKeyClasses", ManagedKey.class.getName());
    t.add("KeyStore", "Clavis", p -> new ClavisKeyStoreSpi(store));
    // bound to a token, the generators' keys are generated on it when the key store stores them
    t.add("KeyGenerator", "AES", p -> new SecretKeyGeneratorSpi.Aes(tokenIdentity));
    t.add("KeyGenerator", "HmacSHA256", p -> new SecretKeyGeneratorSpi.HmacSha256(tokenIdentity));
    t.add("Cipher", "AES/GCM/NoPadding", p -> new ManagedGcmCipherSpi(), List.of(), managedOnly);
    t.add("Mac", "HmacSHA256", p -> new ManagedHmacSpi(), List.of(), managedOnly);
    // keys migrated from PKCS12/JCEKS: their old data and tags (docs/migrated-keys-and-hkdf.md)
    t.add("Cipher", "AES/CBC/PKCS5Padding", p -> new ManagedBlockModeCipherSpi.Cbc(), List.of(), managedOnly);
    t.add("Cipher", "AES/CTR/NoPadding", p -> new ManagedBlockModeCipherSpi.Ctr(), List.of(), managedOnly);
    t.add("Mac", "HmacSHA384", p -> new ManagedHmacSpi(KeyAlgorithm.HMAC_SHA384), List.of(), managedOnly);
    t.add("Mac", "HmacSHA512", p -> new ManagedHmacSpi(KeyAlgorithm.HMAC_SHA512), List.of(), managedOnly);

    // --- managed key pairs: lifecycle-enforcing Signature (issue 12) ---
    Map<String, String> pairsOnly = Map.of("SupportedKeyClasses",
        ManagedPrivateKey.class.getName() + "|" + ManagedPublicKey.class.getName());
    t.add("Signature", "SHA256withECDSA", p -> new ManagedSignatureSpi.Sha256Ecdsa(),
        List.of("1.2.840.10045.4.3.2", "OID.1.2.840.10045.4.3.2"), pairsOnly);
    t.add("Signature", "SHA384withECDSA", p -> new ManagedSignatureSpi.Sha384Ecdsa(),
        List.of("1.2.840.10045.4.3.3", "OID.1.2.840.10045.4.3.3"), pairsOnly);
    t.add("Signature", "SHA256withRSA", p -> new ManagedSignatureSpi.Sha256Rsa(),
        List.of("1.2.840.113549.1.1.11", "OID.1.2.840.113549.1.1.11"), pairsOnly);
    t.add("Signature", "SHA384withRSA", p -> new ManagedSignatureSpi.Sha384Rsa(),
        List.of("1.2.840.113549.1.1.12", "OID.1.2.840.113549.1.1.12"), pairsOnly);
    t.add("Signature", "RSASSA-PSS", p -> new ManagedSignatureSpi.RsaPss(),
        List.of("PSS", "1.2.840.113549.1.1.10", "OID.1.2.840.113549.1.1.10"), pairsOnly);
    t.add("Signature", "Ed25519", p -> new ManagedSignatureSpi.Ed25519(),
        List.of("EdDSA", "1.3.101.112", "OID.1.3.101.112"), pairsOnly);
    // ML-DSA (FIPS 204): registered on every JDK, so that before JDK 24 a managed key is refused clearly
    t.add("Signature", "ML-DSA", p -> new ManagedSignatureSpi.MlDsaAny(), List.of(), pairsOnly);
    t.add("Signature", "ML-DSA-44", p -> new ManagedSignatureSpi.MlDsa44(),
        List.of("2.16.840.1.101.3.4.3.17", "OID.2.16.840.1.101.3.4.3.17"), pairsOnly);
    t.add("Signature", "ML-DSA-65", p -> new ManagedSignatureSpi.MlDsa65(),
        List.of("2.16.840.1.101.3.4.3.18", "OID.2.16.840.1.101.3.4.3.18"), pairsOnly);
    t.add("Signature", "ML-DSA-87", p -> new ManagedSignatureSpi.MlDsa87(),
        List.of("2.16.840.1.101.3.4.3.19", "OID.2.16.840.1.101.3.4.3.19"), pairsOnly);

    // --- PKCS#11 token keystore (bound to the token on a configure()d provider) ---
    t.add("KeyStore", "ClavisPKCS11", p -> new ClavisPkcs11KeyStoreSpi(token));

    t.registerAll();
  }

  /** An OID, its {@code OID.} form, and a name: the aliases of a fixed-size algorithm. */
  private static List<String> oidAliases(String oid, String name) {
    return List.of(oid, "OID." + oid, name);
  }
}

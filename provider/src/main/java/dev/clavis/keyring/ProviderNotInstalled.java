package dev.clavis.keyring;

import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.Security;

/**
 * Names the fix when JCA's delayed provider selection meets a managed handle and no Clavis
 * provider is installed.
 *
 * <p>{@code Cipher.getInstance("AES/GCM/NoPadding").init(mode, handle)} (and {@code Mac},
 * {@code Signature}) asks each installed provider's services whether they take the key; a service
 * that lists key formats (SunJCE's does) calls {@link ManagedKey#getFormat()}. Only a Clavis
 * provider takes a handle, so when none is installed the JDK would end with "No installed provider
 * supports this key: dev.clavis.keyring.ManagedKey", which does not say that
 * {@code ClavisProvider.configure(file)} returns a provider the application must still install.
 * Asked from that probe with no Clavis provider installed, the handle refuses at once with an
 * {@link InvalidKeyException} (the exception {@code init} declares) that names
 * {@code Security.addProvider(p)}. It cannot succeed anyway, and nothing else changes: with a
 * Clavis provider installed, or asked from anywhere else, {@code getFormat()} is {@code null}.
 */
final class ProviderNotInstalled {

  /** The provider class by name: the keyring API does not depend on the provider package. */
  static final String PROVIDER_CLASS = "dev.clavis.provider.ClavisProvider";

  private static final String PROBE_CLASS = "java.security.Provider$Service";
  private static final String PROBE_METHOD = "supportsKeyFormat";

  private static final StackWalker WALKER = StackWalker.getInstance();

  private ProviderNotInstalled() {}

  /**
   * Refuses a provider's key-format probe when no Clavis provider is installed.
   *
   * @param ref the handle's key or version, for the message
   * @throws InvalidKeyException (undeclared, thrown through {@code Cipher.init}, {@code Mac.init}
   *     or {@code Signature.initSign}, which declare it) when called from a service's key-format
   *     probe and no Clavis provider is installed
   */
  static void checkProbe(KeyRef ref) {
    if (clavisInstalled() || !calledFromProbe()) {
      return;
    }
    ProviderNotInstalled.<RuntimeException>raise(new InvalidKeyException("no Clavis provider is installed, so JCA's"
        + " provider selection cannot use the managed key " + ref + ": install the provider that opened its key store"
        + " with Security.addProvider(p) (a provider from ClavisProvider.configure(file) is not installed by"
        + " configure), or name it: Cipher.getInstance(transformation, p)"));
  }

  /** @return whether an installed provider is a Clavis provider (the default one or a configured one) */
  static boolean clavisInstalled() {
    for (Provider p : Security.getProviders()) {
      if (p.getClass().getName().equals(PROVIDER_CLASS)) {
        return true;
      }
    }
    return false;
  }

  /** @return whether the caller of {@code getFormat} is {@code Provider.Service}'s key-format probe */
  private static boolean calledFromProbe() {
    // frames: this method, checkProbe, ManagedKey.getFormat, then the caller of getFormat
    return WALKER.walk(frames -> frames.skip(3).findFirst()
        .map(f -> f.getClassName().equals(PROBE_CLASS) && f.getMethodName().equals(PROBE_METHOD))
        .orElse(false));
  }

  /** Throws a checked exception where the JCA method up the stack declares it. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void raise(Throwable t) throws T {
    throw (T) t;
  }
}

package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.Pkcs11Exception;
import javax.crypto.SecretKey;
import javax.security.auth.Destroyable;

/**
 * A secret key unwrapped onto the token ({@code C_UnwrapKey}) as a session object, sensitive and
 * not extractable: a handle like SunPKCS11's sensitive {@code P11Key}, with no encoding. {@link
 * #destroy()} removes the object; it goes with the keyring's sessions at the latest.
 */
final class TokenSessionKey implements SecretKey, Destroyable {

  private static final long serialVersionUID = 1L;

  private final transient TokenKeyBackend backend;
  private final String algorithm;
  private final KeyRef unwrappedUnder;
  private final transient long handle;
  private volatile boolean destroyed;

  TokenSessionKey(TokenKeyBackend backend, String algorithm, KeyRef unwrappedUnder, long handle) {
    this.backend = backend;
    this.algorithm = algorithm;
    this.unwrappedUnder = unwrappedUnder;
    this.handle = handle;
  }

  @Override
  public String getAlgorithm() {
    return algorithm;
  }

  /** @return null: the key is sensitive on the token */
  @Override
  public String getFormat() {
    return null;
  }

  /** @return null: the key never leaves the token */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  /** @return the object's handle on the token, for the binding's calls */
  long handle() {
    return handle;
  }

  /** Destroys the session object ({@code C_DestroyObject}); a second call does nothing. */
  @Override
  public void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    backend.call("destroy a key unwrapped under " + unwrappedUnder, s -> {
      try {
        s.destroyObject(handle);
      } catch (Pkcs11Exception e) {
        if (!e.isHandleStale() && !e.isSessionLost()) {
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "TokenSessionKey{" + algorithm + ", unwrapped under " + unwrappedUnder + " on " + backend.describe()
        + ", sensitive, not extractable" + (destroyed ? ", destroyed" : "") + "}";
  }
}

package dev.clavis.keyring;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A fresh data-encryption key and the same key wrapped (RFC 5649 KWP) under a named KEK version.
 * Store {@link #wrapped()} beside the data; use {@link #plaintextKey()} and then {@link #destroy()}.
 */
public final class DataKey implements Destroyable {

  private final byte[] key;
  private final byte[] wrapped;
  private final KeyRef kek;
  private volatile boolean destroyed;

  /**
   * A data key and its wrapped form.
   *
   * @param key the plaintext key; copied in
   * @param wrapped the self-describing wrapped form; copied in
   * @param kek the wrapping version
   */
  public DataKey(byte[] key, byte[] wrapped, KeyRef kek) {
    this.key = key.clone();
    this.wrapped = wrapped.clone();
    this.kek = kek;
  }

  /** @return a copy of the raw DEK; the caller wipes it */
  public byte[] plaintextKey() {
    if (destroyed) {
      throw new IllegalStateException("data key destroyed");
    }
    return key.clone();
  }

  /** @return the wrapped DEK, which names its KEK version so it unwraps after any rotation */
  public byte[] wrapped() {
    return wrapped.clone();
  }

  /** @return the KEK version that wrapped this DEK */
  public KeyRef kek() {
    return kek;
  }

  @Override
  public void destroy() {
    Arrays.fill(key, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "DataKey{kek=" + kek + ", " + key.length * 8 + " bits}";
  }
}

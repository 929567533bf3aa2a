package dev.clavis.keyring.spi;

import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Keys unwrapped inside a backend ({@link KeyMaterial#unwrapKwpHeld}) that never came into host
 * memory: on a token, session objects that are sensitive and exist only until {@link #close()}.
 * Rewrapping a data key under a new KEK through them keeps the key inside the backend.
 *
 * <p>Not thread-safe: one caller uses and closes it.
 */
public interface HeldKeys extends AutoCloseable {

  /** @return how many keys are held, in the order of the outputs they came from */
  int size();

  /**
   * Wraps every held key with RFC 5649 under {@code target}, inside the backend.
   *
   * @param target the new KEK; material of the same backend
   * @return the RFC 5649 outputs in order; an entry is null where the backend cannot give RFC 5649
   *     output for that key inside it ({@link #limitation()} says why): the caller handles it
   * @throws GeneralSecurityException if the backend refuses or fails
   * @throws IllegalArgumentException if {@code target} belongs to another backend
   */
  List<byte[]> wrapKwpUnder(KeyMaterial target) throws GeneralSecurityException;

  /** @return why an entry of {@link #wrapKwpUnder} was null, or null if none was */
  String limitation();

  /** Destroys the held keys; never throws. */
  @Override
  void close();
}

package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.MacSpi;

/**
 * {@code HmacSHA256}, {@code HmacSHA384} and {@code HmacSHA512} (RFC 2104) for managed keys, enforcing the lifecycle per MAC, not per
 * {@code init}. A name computes with its primary (rotating first when due); a {@code name#N}
 * handle computes with that version when it may MAC, and also when it may only verify
 * ({@code PRE_ACTIVE}, {@code DEPRECATED}): JCA's Mac cannot tell computing from verifying, and
 * verifying old tags must keep working after a rotation.
 *
 * <p>Each MAC counts one use when it starts ({@code init} pays for the first; every later one is
 * counted at its first {@code update} or {@code doFinal}) and is checked again at its
 * {@code doFinal}, so a usage limit of N gives N tags, and a version revoked, suspended or
 * expired between two MACs (in this process, or in another once the engine's 20 ms freshness
 * window has passed) computes no further tag. A refusal after {@code init} is an
 * {@link IllegalStateException} (the only exception {@code Mac.update}/{@code doFinal} may throw)
 * caused by the {@link InvalidKeyException} naming key, version and state.
 */
public final class ManagedHmacSpi extends MacSpi {

  /** The key algorithm this MAC takes: its hash fixes the tag length. */
  private final KeyAlgorithm algorithm;
  private PerOperationUse uses;
  private KeyringEngine.Use use;
  private KeyMaterial.MacOperation op;
  /** Whether the MAC in progress has its use: false after doFinal and reset. */
  private boolean started;

  /** Creates an uninitialised HmacSHA256. */
  public ManagedHmacSpi() {
    this(KeyAlgorithm.HMAC_SHA256);
  }

  /**
   * Creates an uninitialised MAC for keys of one HMAC algorithm (a migrated HmacSHA384 key
   * computes HmacSHA384 only).
   *
   * @param algorithm {@code HMAC_SHA256}, {@code HMAC_SHA384} or {@code HMAC_SHA512}
   * @throws IllegalArgumentException for an algorithm that is not HMAC
   */
  public ManagedHmacSpi(KeyAlgorithm algorithm) {
    if (!algorithm.isHmac()) {
      throw new IllegalArgumentException(algorithm + " is not an HMAC algorithm");
    }
    this.algorithm = algorithm;
  }

  /** @return the tag length: 32, 48 or 64 bytes, the hash's output */
  @Override
  protected int engineGetMacLength() {
    return algorithm.bits() / 8;
  }

  /**
   * Checks the handle's lifecycle and counts the use of the first MAC.
   *
   * @throws InvalidAlgorithmParameterException if {@code params} is not null
   * @throws InvalidKeyException if the key is not a live managed handle of this HMAC, or its
   *     lifecycle refuses (the message names key, version and state)
   */
  @Override
  protected void engineInit(Key key, AlgorithmParameterSpec params) throws InvalidKeyException,
      InvalidAlgorithmParameterException {
    if (params != null) {
      throw new InvalidAlgorithmParameterException(algorithm.jcaName() + " takes no parameters");
    }
    ManagedKey mk = ManagedKeys.managed(key, algorithm.jcaName());
    if (mk.keyAlgorithm() != algorithm) {
      throw new InvalidKeyException("key " + mk.ref() + " is " + mk.keyAlgorithm() + ", not an "
          + algorithm.jcaName() + " key");
    }
    PerOperationUse u = new PerOperationUse(mk, PerOperationUse.Purpose.MAC);
    KeyringEngine.Use first = u.begin();
    KeyMaterial.MacOperation o = start(first);
    this.uses = u;
    this.use = first;
    this.op = o;
    this.started = true;
  }

  private static KeyMaterial.MacOperation start(KeyringEngine.Use u) throws InvalidKeyException {
    try {
      return u.material().startHmac();
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("the key store could not start HMAC for " + u.version() + ": " + e.getMessage(), e);
    }
  }

  /** The use of the MAC in progress: taken (and counted) when a MAC starts after the last one ended. */
  private void ensureStarted() {
    if (uses == null) {
      throw new IllegalStateException("MAC not initialized");
    }
    if (started) {
      return;
    }
    try {
      KeyringEngine.Use u = uses.next(use);
      if (!u.version().equals(use.version())) {
        op = start(u); // the name's primary moved on: MAC with the new one
      }
      use = u;
      started = true;
    } catch (InvalidKeyException e) {
      throw PerOperationUse.refusedNow(e);
    }
  }

  /**
   * Adds a byte to the MAC, starting (and counting) a new MAC if the last one ended.
   *
   * @throws IllegalStateException if not initialised, or the lifecycle now refuses the key
   */
  @Override
  protected void engineUpdate(byte input) {
    ensureStarted();
    op.update(new byte[] {input}, 0, 1);
  }

  /**
   * Adds bytes to the MAC, starting (and counting) a new MAC if the last one ended.
   *
   * @throws IllegalStateException if not initialised, or the lifecycle now refuses the key
   */
  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    ensureStarted();
    op.update(input, offset, len);
  }

  /**
   * Checks the lifecycle again and returns the tag; the next update starts a new, counted MAC.
   *
   * @throws IllegalStateException if not initialised, or the version may no longer MAC (the
   *     message names key, version and state; no tag is returned and the input is discarded)
   */
  @Override
  protected byte[] engineDoFinal() {
    ensureStarted();
    started = false;
    uses.spend();
    try {
      uses.recheck(use);
    } catch (InvalidKeyException e) {
      op.reset();
      throw PerOperationUse.refusedNow(e);
    }
    return op.doFinal();
  }

  /**
   * Discards the input of the MAC in progress; the next MAC is checked anew, and counted unless
   * it is the first after {@code init} (whose use {@code init} counted).
   */
  @Override
  protected void engineReset() {
    if (op != null) {
      op.reset();
    }
    started = false;
  }
}

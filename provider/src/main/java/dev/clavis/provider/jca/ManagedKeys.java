package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.security.InvalidKeyException;
import java.security.Key;

/** Maps a JCA key to the engine that enforces it, and lifecycle errors to JCA exceptions. */
final class ManagedKeys {

  private ManagedKeys() {}

  static ManagedKey managed(Key key, String service) throws InvalidKeyException {
    if (!(key instanceof ManagedKey)) {
      throw new InvalidKeyException("Clavis's managed " + service + " takes only managed keys (from the Clavis"
          + " KeyStore); got " + (key == null ? "null" : key.getClass().getName()) + ", use another provider for it");
    }
    ManagedKey mk = (ManagedKey) key;
    if (mk.isDestroyed()) {
      throw new InvalidKeyException("this handle to " + mk.ref() + " was destroyed");
    }
    return mk;
  }

  static KeyringEngine engine(ManagedKey mk) throws InvalidKeyException {
    if (!(mk.keyring() instanceof KeyringEngine)) {
      throw new InvalidKeyException("the handle to " + mk.ref() + " comes from a keyring Clavis cannot drive");
    }
    return (KeyringEngine) mk.keyring();
  }

  /** A refusal or storage failure as InvalidKeyException, keeping the lifecycle message. */
  static InvalidKeyException invalid(KeyringException e) {
    InvalidKeyException ike = new InvalidKeyException(e.getMessage(), e);
    return ike;
  }
}

package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.engine.KeyringEngine;
import dev.clavis.keyring.store.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.MacSpi;

/**
 * {@code HmacSHA256} (RFC 2104) for managed keys, enforcing the lifecycle at {@code init}. A name
 * computes with its primary (one use per init, rotating first when due). A {@code name#N} handle
 * computes with that version when it may MAC, and also when it may only verify
 * ({@code PRE_ACTIVE}, {@code DEPRECATED}): JCA's Mac cannot tell computing from verifying, and
 * verifying old tags must keep working after a rotation.
 */
public final class ManagedHmac extends MacSpi {

  private KeyMaterial.MacOperation op;

  /** Creates an uninitialised MAC. */
  public ManagedHmac() {}

  @Override
  protected int engineGetMacLength() {
    return 32;
  }

  @Override
  protected void engineInit(Key key, AlgorithmParameterSpec params) throws InvalidKeyException,
      InvalidAlgorithmParameterException {
    if (params != null) {
      throw new InvalidAlgorithmParameterException("HmacSHA256 takes no parameters");
    }
    ManagedKey mk = ManagedKeys.managed(key, "HmacSHA256");
    if (mk.keyAlgorithm() != KeyAlgorithm.HMAC_SHA256) {
      throw new InvalidKeyException("key " + mk.ref() + " is " + mk.keyAlgorithm() + ", not an HMAC-SHA256 key");
    }
    KeyringEngine engine = ManagedKeys.engine(mk);
    op = null;
    try {
      KeyringEngine.Use use;
      if (mk.ref().version().isPresent() && !stateOf(engine, mk).allowsProtect()) {
        use = engine.unprotect(mk.ref(), false);
      } else {
        use = engine.protect(mk.ref(), 1);
      }
      op = use.material().startHmac();
    } catch (KeyringException e) {
      throw ManagedKeys.invalid(e);
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("the key store could not start HMAC for " + mk.ref() + ": " + e.getMessage(), e);
    }
  }

  private static KeyState stateOf(KeyringEngine engine, ManagedKey mk) {
    int v = mk.ref().version().getAsInt();
    return engine.find(mk.ref().name()).flatMap(k -> k.version(v)).map(x -> x.state()).orElse(KeyState.DESTROYED);
  }

  private void check() {
    if (op == null) {
      throw new IllegalStateException("MAC not initialized");
    }
  }

  @Override
  protected void engineUpdate(byte input) {
    check();
    op.update(new byte[] {input}, 0, 1);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    check();
    op.update(input, offset, len);
  }

  @Override
  protected byte[] engineDoFinal() {
    check();
    return op.doFinal();
  }

  @Override
  protected void engineReset() {
    if (op != null) {
      op.reset();
    }
  }
}
